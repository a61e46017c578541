import { createManualClock, type ManualClock } from "../src/clock.ts";
import { buildConfig, type Config } from "../src/config.ts";
import type { AppContext } from "../src/context.ts";
import type { Database } from "../src/db/client.ts";
import { createEventBus } from "../src/events/event-bus.ts";
import { buildApp } from "../src/http/app.ts";

/** An AppContext on a test database with a manual clock. */
export function buildTestContext(
  database: Database,
  overrides: { config?: Partial<Config>; clock?: ManualClock } = {},
): AppContext & { clock: ManualClock } {
  const clock = overrides.clock ?? createManualClock();
  return {
    db: database.db,
    database,
    clock,
    events: createEventBus(),
    config: buildConfig({ logLevel: "silent", ...overrides.config }),
  };
}

/** The real app on a test database; drive it with `app.inject()`. */
export async function buildTestApp(
  database: Database,
  overrides: { config?: Partial<Config>; clock?: ManualClock } = {},
) {
  const context = buildTestContext(database, overrides);
  const app = await buildApp({ context });
  await app.ready();
  return Object.assign(app, { context });
}

/** A customer's message through POST /api/v1/messages, as a channel integration sends one (`headers`: a bearer). */
export async function receiveCustomerMessage(
  app: Awaited<ReturnType<typeof buildTestApp>>,
  headers: Record<string, string>,
  input: { email: string; text: string; channel?: string },
): Promise<{ ticketId: number; messageId: number }> {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/messages",
    headers,
    payload: { channel: input.channel ?? "api", customer: { email: input.email }, text: input.text },
  });
  if (response.statusCode !== 201)
    throw new Error(`message refused: ${response.statusCode} ${response.body}`);
  return response.json() as { ticketId: number; messageId: number };
}
