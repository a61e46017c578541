import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, receiveCustomerMessage } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { ensureSlaDefaults } from "../sla/sla.service.ts";

type Item = { id: number; frustration: { level: string } | null; sla: { dueAt: string | null } };
type ListPage = { items: Item[]; nextCursor: string | null; order: string };

// "Frustrated customers rise in the inbox": the open views list frustrated customers first, then annoyed ones,
// each by latest activity; views with their own order (breaching soon) keep it.
describeDb("inbox order: frustrated customers first in the open views", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let integration: Record<string, string>;
  const id: Record<"calmOld" | "angryOld" | "answered" | "calmNew" | "angryNew", number> = {
    calmOld: 0,
    angryOld: 0,
    answered: 0,
    calmNew: 0,
    angryNew: 0,
  };

  const receive = async (email: string, text: string) =>
    (await receiveCustomerMessage(app, integration, { email, text })).ticketId;
  const list = async (query: string): Promise<ListPage & { statusCode: number }> => {
    const response = await app.inject({
      method: "GET",
      url: `/api/v1/tickets?${query}`,
      headers: agent.headers,
    });
    return { ...(response.json() as ListPage), statusCode: response.statusCode };
  };
  /** Every page of a list, following nextCursor. */
  const listAll = async (query: string, limit: number) => {
    const pages: ListPage[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(page.statusCode).toBe(200);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);
    return pages.flatMap((page) => page.items.map((item) => item.id));
  };

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    app.context.clock.set("2026-03-09T09:00:00Z"); // a Monday, inside business hours
    await ensureSlaDefaults(app.context, { timezone: "Europe/London" });
    agent = await signInAs(app, "agent", "Alex Agent");
    integration = await bearerFor(app.context, "agent");
    const minutes = (n: number) => app.context.clock.advance(n * 60_000);

    id.calmOld = await receive(
      "calm.old@example.com",
      "Hello, could you tell me when my order ships? Thanks!",
    );
    minutes(5);
    id.angryOld = await receive(
      "angry.old@example.com",
      "This is the THIRD time I'm asking!!! Nobody has replied. Cancel my account.",
    );
    minutes(5);
    id.answered = await receive(
      "answered@example.com",
      "Unacceptable. I want a refund or I'm filing a chargeback!!",
    );
    minutes(5);
    const reply = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${id.answered}/messages`,
      headers: agent.headers,
      payload: { text: "I'm so sorry. I've refunded you in full just now." },
    });
    expect(reply.statusCode).toBe(201);
    minutes(5);
    id.calmNew = await receive(
      "calm.new@example.com",
      "Hi there, can I change the delivery address? Cheers.",
    );
    minutes(5);
    id.angryNew = await receive(
      "angry.new@example.com",
      "Still NO refund after two weeks!!! This is a joke.",
    );
    minutes(5);
  });
  afterAll(async () => app.close());

  it("lists frustrated customers first in All open, then annoyed ones, then the rest, newest first in each", async () => {
    const open = await list("view=open");
    expect(open.statusCode).toBe(200);
    expect(open.order).toBe("frustration");
    const levels = Object.fromEntries(open.items.map((item) => [item.id, item.frustration?.level ?? "none"]));
    expect(levels).toEqual({
      [id.angryNew]: "high",
      [id.angryOld]: "high",
      [id.answered]: "mild",
      [id.calmNew]: "none",
      [id.calmOld]: "none",
    });
    expect(open.items.map((item) => item.id)).toEqual([
      id.angryNew,
      id.angryOld, // older than the calm new ticket, but frustrated
      id.answered, // answered, so only annoyed now
      id.calmNew,
      id.calmOld,
    ]);
    // Page by page (a page boundary inside each level) gives the same list, each ticket once.
    expect(await listAll("view=open", 2)).toEqual(open.items.map((item) => item.id));
    expect(await listAll("view=unassigned", 1)).toEqual(open.items.map((item) => item.id));
  });

  it("puts a calm ticket that turns frustrated above calm ones that wrote later", async () => {
    app.context.clock.advance(60_000);
    const turned = await receive(
      "calm.old@example.com",
      "Ridiculous. Two weeks and NOTHING!!! I want my money back.",
    );
    expect(turned).toBe(id.calmOld);
    app.context.clock.advance(60_000);
    expect(await receive("calm.new@example.com", "Also, could it come on Friday instead? Thank you.")).toBe(
      id.calmNew,
    );
    const ids = (await list("view=open")).items.map((item) => item.id);
    expect(ids.indexOf(id.calmOld)).toBeLessThan(ids.indexOf(id.answered));
    expect(ids.indexOf(id.calmOld)).toBeLessThan(ids.indexOf(id.calmNew));
  });

  it("orders an agent's own tickets the same way", async () => {
    for (const ticketId of [id.calmNew, id.angryOld]) {
      const assigned = await app.inject({
        method: "PATCH",
        url: `/api/v1/tickets/${ticketId}`,
        headers: agent.headers,
        payload: { assigneeId: agent.user.id },
      });
      expect(assigned.statusCode).toBe(200);
    }
    const mine = await list("view=mine");
    expect(mine.order).toBe("frustration");
    expect(mine.items.map((item) => item.id)).toEqual([id.angryOld, id.calmNew]);
  });

  it("keeps the explicit orders: breaching soon by SLA due time, All tickets by latest activity", async () => {
    const breaching = await list("view=breaching");
    expect(breaching.order).toBe("sla_due");
    const dues = breaching.items.map((item) => Date.parse(item.sla.dueAt ?? ""));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    const ids = breaching.items.map((item) => item.id);
    // The calm new ticket is due before the newer frustrated one, and stays above it here.
    expect(ids.indexOf(id.calmNew)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(id.calmNew)).toBeLessThan(ids.indexOf(id.angryNew));

    const all = await list("view=all");
    expect(all.order).toBe("activity");
    expect(all.items.map((item) => item.id)).toEqual([
      id.calmNew,
      id.calmOld,
      id.angryNew,
      id.answered,
      id.angryOld,
    ]);
  });

  it("refuses a cursor from a list in another order", async () => {
    const all = await list("view=all&limit=1");
    const open = await list(`view=open&limit=1&cursor=${encodeURIComponent(all.nextCursor ?? "")}`);
    expect(open.statusCode).toBe(400);
    const ranked = await list("view=open&limit=1");
    const back = await list(`view=all&limit=1&cursor=${encodeURIComponent(ranked.nextCursor ?? "")}`);
    expect(back.statusCode).toBe(400);
    expect(JSON.stringify(back)).toContain("cursor");
  });
});
