import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/client.ts";
import type { EventBus } from "./events/event-bus.ts";
import type { SettingsCache } from "./settings-cache.ts";

/** What services receive: the database, the clock and the event bus. Passed explicitly, never global. */
export type ServiceContext = {
  db: Db;
  clock: Clock;
  events: EventBus;
  /** Settings read on hot paths (SLA policies), remembered briefly; without it they are read every time. */
  cache?: SettingsCache;
};

/** What the processes (HTTP, SMTP, workers, CLI) share. */
export type AppContext = ServiceContext & {
  database: Database;
  config: Config;
};
