import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { withTransaction } from "../db/transaction.ts";
import { findOrCreateCustomerByIdentity } from "../modules/customers/customers.service.ts";
import { createTicket } from "../modules/tickets/tickets.service.ts";
import { bearerFor, signInAs } from "./auth-test-helpers.ts";

/** Reads SSE frames from a fetch body until `predicate` matches one, or fails after the deadline. */
async function readEvent(
  body: ReadableStream<Uint8Array>,
  predicate: (frame: { event?: string; data?: string }) => boolean,
  timeoutMs = 5000,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no SSE event in time")), deadline - Date.now()),
        ),
      ]);
      if (chunk.done) throw new Error("stream ended");
      buffer += decoder.decode(chunk.value, { stream: true });
      let index = buffer.indexOf("\n\n");
      while (index >= 0) {
        const raw = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const frame: { event?: string; data?: string } = {};
        for (const line of raw.split("\n")) {
          if (line.startsWith("event: ")) frame.event = line.slice(7);
          if (line.startsWith("data: ")) frame.data = line.slice(6);
        }
        if (predicate(frame)) return frame;
        index = buffer.indexOf("\n\n");
      }
    }
    throw new Error("no SSE event in time");
  } finally {
    reader.releaseLock();
  }
}

describeDb("live events over SSE", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let base: string;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("no port");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => app.close());

  it("streams a ticket.created event to a signed-in browser session", async () => {
    const agent = await signInAs(app, "agent");
    const controller = new AbortController();
    const response = await fetch(`${base}/api/v1/events`, {
      headers: { cookie: agent.cookie },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error("no body");
    // The stream is open once the first comment arrives; only then create the ticket.
    await readEvent(response.body, () => true);
    const ticket = await withTransaction(app.context, async (tx) => {
      const { customerId } = await findOrCreateCustomerByIdentity(tx, {
        kind: "email",
        value: "live@example.com",
      });
      return createTicket(tx, { subject: "Live!", customerId, channel: "email" });
    });
    const frame = await readEvent(response.body, (f) => f.event === "ticket.created");
    expect(JSON.parse(frame.data ?? "{}")).toEqual({
      type: "ticket.created",
      ticketId: ticket.id,
      customerId: ticket.customerId,
    });
    controller.abort();
  });

  it("accepts bearer tokens and refuses anonymous clients", async () => {
    const anonymous = await fetch(`${base}/api/v1/events`);
    expect(anonymous.status).toBe(401);
    const controller = new AbortController();
    const withToken = await fetch(`${base}/api/v1/events`, {
      headers: await bearerFor(app.context, "agent"),
      signal: controller.signal,
    });
    expect(withToken.status).toBe(200);
    if (!withToken.body) throw new Error("no body");
    await readEvent(withToken.body, () => true);
    app.context.events.publish({ type: "ticket.updated", ticketId: 1, customerId: 1, changes: ["status"] });
    const frame = await readEvent(withToken.body, (f) => f.event === "ticket.updated");
    expect(JSON.parse(frame.data ?? "{}").changes).toEqual(["status"]);
    controller.abort();
  });
});
