import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { describeDb, testBackend, useTestDatabase } from "../../test/db.ts";
import type { TendEvent } from "./event-bus.ts";
import { createPgNotifyEventBus, type PgNotifyEventBus } from "./pg-notify-bridge.ts";

/** Resolves when `predicate` holds, polling with a deadline instead of sleeping a fixed time. */
async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// LISTEN/NOTIFY only matters when several processes share PostgreSQL; PGlite is one process with the plain bus.
const describePostgres = testBackend === "postgres" ? describeDb : describe.skip;

describePostgres("events across processes over LISTEN/NOTIFY", () => {
  const database = useTestDatabase();
  const buses: PgNotifyEventBus[] = [];
  const pools: pg.Pool[] = [];

  afterAll(async () => {
    for (const bus of buses) await bus.close();
    for (const pool of pools) await pool.end();
  });

  async function openProcessBus(onListening?: () => void) {
    const url = database.current.url;
    if (!url) throw new Error("postgres test database without a URL");
    // A pool of its own, as another process would have.
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    const bus = await createPgNotifyEventBus({ databaseUrl: url, pool, onListening, reconnectDelayMs: 100 });
    buses.push(bus);
    return bus;
  }

  it("delivers an event to the other process once, and to the publisher once", async () => {
    const api = await openProcessBus();
    const worker = await openProcessBus();
    const seenByApi: TendEvent[] = [];
    const seenByWorker: TendEvent[] = [];
    api.subscribe((event) => seenByApi.push(event));
    worker.subscribe((event) => seenByWorker.push(event));

    const created: TendEvent = { type: "ticket.created", ticketId: 41, customerId: 7 };
    const message: TendEvent = {
      type: "message.created",
      ticketId: 41,
      messageId: 3,
      direction: "inbound",
      isInternal: false,
    };
    worker.publish(created);
    api.publish(message);

    await waitFor(() => seenByApi.length === 2 && seenByWorker.length === 2, "both events in both processes");
    // A marker published after the others arrives after them; past it, no duplicate can still be in flight.
    const marker: TendEvent = { type: "ticket.updated", ticketId: 0, customerId: 0, changes: ["marker"] };
    worker.publish(marker);
    await waitFor(() => seenByApi.some((event) => event.type === "ticket.updated"), "the marker");
    expect([...seenByApi].sort(byType)).toEqual([created, message, marker].sort(byType));
    expect([...seenByWorker].sort(byType)).toEqual([created, message, marker].sort(byType));
  }, 20_000);

  it("keeps delivering after its LISTEN connection is cut", async () => {
    let listens = 0;
    const api = await openProcessBus(() => {
      listens++;
    });
    const worker = await openProcessBus();
    const seen: TendEvent[] = [];
    api.subscribe((event) => seen.push(event));

    await database.current.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'",
    );
    await waitFor(() => listens >= 2, "the LISTEN connection to come back");

    const event: TendEvent = { type: "ticket.created", ticketId: 99, customerId: 1 };
    worker.publish(event);
    await waitFor(() => seen.length > 0, "the event after reconnecting");
    expect(seen).toEqual([event]);
  }, 20_000);
});

function byType(a: TendEvent, b: TendEvent): number {
  return a.type.localeCompare(b.type);
}
