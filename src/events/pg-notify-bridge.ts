import { randomUUID } from "node:crypto";
import pg from "pg";
import { createEventBus, type EventBus, type TendEvent } from "./event-bus.ts";

export const eventsChannel = "tend_events";

type Envelope = { origin: string; event: TendEvent };

export type PgNotifyEventBus = EventBus & {
  /** This process's tag on its notifications; its own come back from PostgreSQL and are dropped. */
  readonly origin: string;
  close(): Promise<void>;
};

export type PgNotifyBridgeOptions = {
  /** Connection string for the dedicated LISTEN connection (a pooled connection cannot hold LISTEN). */
  databaseUrl: string;
  /** Where NOTIFY is sent from. */
  pool: pg.Pool;
  /** Called each time LISTEN is (re)established; tests wait on it instead of sleeping. */
  onListening?: () => void;
  onError?: (error: Error) => void;
  /** Delay before reconnecting after the LISTEN connection drops. */
  reconnectDelayMs?: number;
};

/**
 * An EventBus shared by every process on one PostgreSQL database: publish delivers locally at once and sends
 * `NOTIFY tend_events`; a dedicated LISTEN connection re-emits other processes' events here. Delivery across
 * processes is best effort (events during a reconnect are lost), which is fine for live views that re-read.
 */
export async function createPgNotifyEventBus(options: PgNotifyBridgeOptions): Promise<PgNotifyEventBus> {
  const local = createEventBus();
  const origin = randomUUID();
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  const reportError = (error: Error) => options.onError?.(error);
  let closed = false;
  let client: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== eventsChannel || !message.payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message.payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === origin || !envelope.event || typeof envelope.event.type !== "string") return;
    local.publish(envelope.event);
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect().catch((error: Error) => {
        reportError(error);
        scheduleReconnect();
      });
    }, reconnectDelayMs);
    reconnectTimer.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    const drop = (error?: Error) => {
      if (error) reportError(error);
      if (client !== next) return;
      client = null;
      next.removeAllListeners("notification");
      next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on("error", drop);
    next.on("end", () => drop());
    next.on("notification", onNotification);
    try {
      await next.connect();
      await next.query(`LISTEN ${eventsChannel}`);
    } catch (error) {
      next.removeAllListeners();
      next.on("error", () => undefined);
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    options.onListening?.();
  };

  await connect();

  return {
    origin,
    publish(event) {
      local.publish(event);
      if (closed) return;
      const payload = JSON.stringify({ origin, event } satisfies Envelope);
      options.pool.query("select pg_notify($1, $2)", [eventsChannel, payload]).catch(reportError);
    },
    subscribe: local.subscribe,
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners("notification");
        await current.end().catch(() => undefined);
      }
    },
  };
}
