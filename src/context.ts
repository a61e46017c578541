import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/client.ts";
import type { EventBus } from "./events/event-bus.ts";

/** What services receive: the database, the clock and the event bus. Passed explicitly, never global. */
export type ServiceContext = {
  db: Db;
  clock: Clock;
  events: EventBus;
};

/** What the processes (HTTP, SMTP, workers, CLI) share. */
export type AppContext = ServiceContext & {
  database: Database;
  config: Config;
};
