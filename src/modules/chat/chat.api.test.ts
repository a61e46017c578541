import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { chatConversations, customerIdentities, messages } from "../../db/schema.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { findOrCreateCustomerByIdentity } from "../customers/customers.service.ts";
import { ensureSlaDefaults } from "../sla/sla.service.ts";
import { hashVisitorToken, signVisitorEmail } from "./chat-identity.ts";
import { chatRateLimits, visitorTokenHeader } from "./chat-visitor.routes.ts";

type Started = {
  conversation: {
    id: number;
    replyChannel: "chat" | "email";
    identityVerified: boolean;
    email: string | null;
  };
  visitorToken: string;
  visitorId: string;
  messages: { id: number; from: string; text: string }[];
};

describeDb("live chat: visitor API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let admin: SignedIn;
  let agent: SignedIn;
  let widgetKey: string;
  let secret: string;
  let address = 0;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    admin = await signInAs(app, "admin", "Ada Admin");
    agent = await signInAs(app, "agent", "Maria Agent");
    const settings = (
      await app.inject({ method: "GET", url: "/api/v1/chat/settings", headers: { cookie: admin.cookie } })
    ).json();
    widgetKey = settings.widgetKey;
    secret = settings.identitySecret;
  });
  afterAll(async () => app.close());

  // Each visitor comes from its own address, so the per-address rate limits only bite where a test wants them.
  const nextAddress = () => `10.1.${Math.floor(++address / 250)}.${address % 250}`;

  const setStatus = async (who: SignedIn, status: "online" | "offline") => {
    const response = await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: who.headers,
      payload: { status },
    });
    expect(response.statusCode).toBe(200);
  };

  const start = async (payload: Record<string, unknown>) =>
    app.inject({
      method: "POST",
      url: "/api/v1/chat/visitor/conversations",
      remoteAddress: nextAddress(),
      headers: { origin: "https://shop.example" },
      payload: { key: widgetKey, ...payload },
    });

  const startOk = async (payload: Record<string, unknown>): Promise<Started> => {
    const response = await start(payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const read = (id: number, token?: string) =>
    app.inject({
      method: "GET",
      url: `/api/v1/chat/visitor/conversations/${id}`,
      remoteAddress: nextAddress(),
      headers: token ? { [visitorTokenHeader]: token } : {},
    });

  const ticketOf = async (conversationId: number) => {
    const [row] = await app.context.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.id, conversationId));
    return row;
  };

  const agentTicket = async (ticketId: number) =>
    (
      await app.inject({
        method: "GET",
        url: `/api/v1/tickets/${ticketId}`,
        headers: { cookie: agent.cookie },
      })
    ).json();

  const reply = (ticketId: number, text: string, isInternal = false) =>
    app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: agent.headers,
      payload: { text, isInternal },
    });

  describe("with an agent online", () => {
    beforeAll(async () => setStatus(agent, "online"));

    it("gives the widget its form and says an agent is online; a wrong key gets nothing", async () => {
      const config = await app.inject({
        method: "GET",
        url: `/api/v1/chat/visitor/config?key=${widgetKey}`,
        headers: { origin: "https://shop.example" },
      });
      expect(config.statusCode).toBe(200);
      expect(config.headers["access-control-allow-origin"]).toBe("*");
      expect(config.json()).toMatchObject({ agentsOnline: true, prechat: { question: { required: true } } });
      const wrong = await app.inject({ method: "GET", url: "/api/v1/chat/visitor/config?key=tw_nope" });
      expect(wrong.statusCode).toBe(404);
      const preflight = await app.inject({
        method: "OPTIONS",
        url: "/api/v1/chat/visitor/conversations",
        headers: { origin: "https://shop.example", "access-control-request-method": "POST" },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers["access-control-allow-headers"]).toContain(visitorTokenHeader);
    });

    it("starts an anonymous chat: a chat ticket with the question, a token stored only as its hash", async () => {
      const started = await startOk({ name: "Vera Visitor", question: "Do you ship to Norway?" });
      expect(started.visitorToken).toMatch(/^tcv_[A-Za-z0-9_-]{43}$/);
      expect(started.conversation).toMatchObject({ replyChannel: "chat", identityVerified: false });
      expect(started.messages).toMatchObject([{ from: "visitor", text: "Do you ship to Norway?" }]);

      const row = await ticketOf(started.conversation.id);
      expect(row.visitorTokenHash).toBe(hashVisitorToken(started.visitorToken));
      expect(JSON.stringify(row)).not.toContain(started.visitorToken);
      if (row.ticketId === null) throw new Error("no ticket");
      const ticket = await agentTicket(row.ticketId);
      expect(ticket).toMatchObject({ channel: "chat", status: "new", customer: { name: "Vera Visitor" } });
      expect(ticket.subject).toBe("Chat from Vera Visitor: Do you ship to Norway?");
      expect(ticket.messages).toMatchObject([
        { direction: "inbound", channel: "chat", text: "Do you ship to Norway?" },
      ]);

      // The agent answers live: no mail is queued, the visitor reads it with the token.
      const answer = await reply(row.ticketId, "Yes, in 3 to 5 days.");
      expect(answer.statusCode).toBe(201);
      expect(answer.json()).toMatchObject({ channel: "chat", deliveryStatus: "sent" });
      const seen = await read(started.conversation.id, started.visitorToken);
      expect(seen.statusCode).toBe(200);
      expect(seen.json().messages).toMatchObject([
        { from: "visitor", text: "Do you ship to Norway?" },
        { from: "agent", authorName: "Maria", text: "Yes, in 3 to 5 days." },
      ]);
    });

    it("links a signed identity to the customer with that email", async () => {
      const { customerId } = await findOrCreateCustomerByIdentity(app.context, {
        kind: "email",
        value: "known@example.com",
        name: "Known Customer",
      });
      const started = await startOk({
        question: "Where is order 1001?",
        identity: {
          email: "known@example.com",
          name: "Known",
          signature: signVisitorEmail(secret, "known@example.com"),
        },
      });
      expect(started.conversation).toMatchObject({ identityVerified: true, email: "known@example.com" });
      const row = await ticketOf(started.conversation.id);
      expect(row.customerId).toBe(customerId);
      if (row.ticketId === null) throw new Error("no ticket");
      expect((await agentTicket(row.ticketId)).customer).toMatchObject({
        id: customerId,
        email: "known@example.com",
      });
    });

    it("ignores a forged or unsigned identity: the visitor stays anonymous and the email is not used", async () => {
      const { customerId: victimId } = await findOrCreateCustomerByIdentity(app.context, {
        kind: "email",
        value: "victim@example.com",
        name: "Victim",
      });
      const forged = await startOk({
        question: "Please change my address",
        identity: {
          email: "victim@example.com",
          signature: signVisitorEmail("not the secret", "victim@example.com"),
        },
      });
      // A signature for another email does not carry over either.
      const reused = await startOk({
        question: "Hello",
        identity: { email: "victim@example.com", signature: signVisitorEmail(secret, "someone@example.com") },
      });
      const garbage = await startOk({
        question: "Hi",
        identity: { email: "victim@example.com", signature: "00" },
      });
      for (const started of [forged, reused, garbage]) {
        expect(started.conversation).toMatchObject({ identityVerified: false, email: null });
        const row = await ticketOf(started.conversation.id);
        expect(row.customerId).not.toBe(victimId);
        expect(row.contactEmail).toBeNull();
      }
      const forgedRow = await ticketOf(forged.conversation.id);
      const identities = await app.context.db
        .select()
        .from(customerIdentities)
        .where(eq(customerIdentities.customerId, forgedRow.customerId ?? -1));
      expect(identities.map((i) => i.kind)).toEqual(["chat"]);

      // An email typed into the pre-chat form is contact info only: it never picks the customer who owns it.
      const typed = await startOk({ email: "victim@example.com", question: "Is my refund done?" });
      const typedRow = await ticketOf(typed.conversation.id);
      expect(typedRow.customerId).not.toBe(victimId);
      expect(typedRow.contactEmail).toBe("victim@example.com");
      expect(typedRow.identityVerified).toBe(false);
    });

    it("keeps each visitor to their own conversation: other tokens, guessed ids and ended chats read nothing", async () => {
      const alice = await startOk({ name: "Alice", question: "Alice's secret question" });
      const bob = await startOk({ name: "Bob", question: "Bob's question" });
      const aliceRow = await ticketOf(alice.conversation.id);
      if (aliceRow.ticketId === null) throw new Error("no ticket");
      await reply(aliceRow.ticketId, "Only agents may read this note", true);

      const own = await read(alice.conversation.id, alice.visitorToken);
      expect(own.statusCode).toBe(200);
      expect(JSON.stringify(own.json())).not.toContain("Bob's question");
      expect(JSON.stringify(own.json())).not.toContain("Only agents may read this note");

      // Bob's token on Alice's id: the same 404 as an id that does not exist.
      const crossed = await read(alice.conversation.id, bob.visitorToken);
      expect(crossed.statusCode).toBe(404);
      expect(crossed.body).not.toContain("Alice");
      expect((await read(alice.conversation.id + 1000, bob.visitorToken)).statusCode).toBe(404);
      // No token, a made-up token, or the hash in place of the token.
      expect((await read(alice.conversation.id)).statusCode).toBe(401);
      expect((await read(alice.conversation.id, `tcv_${"A".repeat(43)}`)).statusCode).toBe(401);
      expect((await read(alice.conversation.id, aliceRow.visitorTokenHash)).statusCode).toBe(401);
      const send = await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${alice.conversation.id}/messages`,
        headers: { [visitorTokenHeader]: bob.visitorToken },
        payload: { text: "Bob writing into Alice's chat" },
      });
      expect(send.statusCode).toBe(404);

      // Alice ends her chat: her token stops working, for reading and writing.
      const close = await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${alice.conversation.id}/close`,
        headers: { [visitorTokenHeader]: alice.visitorToken },
      });
      expect(close.statusCode).toBe(200);
      const afterClose = await read(alice.conversation.id, alice.visitorToken);
      expect(afterClose.statusCode).toBe(401);
      expect(afterClose.json().error.details).toEqual({ reason: "conversation_closed" });

      // An agent closing Bob's ticket ends Bob's chat too.
      const bobRow = await ticketOf(bob.conversation.id);
      await app.inject({
        method: "PATCH",
        url: `/api/v1/tickets/${bobRow.ticketId}`,
        headers: agent.headers,
        payload: { status: "closed" },
      });
      expect((await read(bob.conversation.id, bob.visitorToken)).statusCode).toBe(401);
    });

    it("switches a live chat to email when the visitor asks, and mails the agent's next reply", async () => {
      const started = await startOk({ question: "Can you check my warranty?" });
      const switched = await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${started.conversation.id}/email`,
        headers: { [visitorTokenHeader]: started.visitorToken },
        payload: { email: "Later@Example.com" },
      });
      expect(switched.statusCode).toBe(200);
      expect(switched.json().conversation).toMatchObject({
        replyChannel: "email",
        email: "later@example.com",
      });
      const row = await ticketOf(started.conversation.id);
      const answer = await reply(row.ticketId ?? -1, "Your warranty runs until 2028.");
      expect(answer.json()).toMatchObject({
        channel: "email",
        deliveryStatus: "queued",
        to: [{ address: "later@example.com" }],
      });
    });

    it("mails replies written after the visitor ended the chat, when they left an address", async () => {
      const started = await startOk({ email: "gone@example.com", question: "Call me back later?" });
      const row = await ticketOf(started.conversation.id);
      const close = await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${started.conversation.id}/close`,
        headers: { [visitorTokenHeader]: started.visitorToken },
      });
      expect(close.statusCode).toBe(200);
      const answer = await reply(row.ticketId ?? -1, "Sure, we'll call tomorrow.");
      expect(answer.json()).toMatchObject({
        channel: "email",
        deliveryStatus: "queued",
        to: [{ address: "gone@example.com" }],
      });
      // Without an address it stays a chat message; the ticket's chat line tells the agent the visitor left.
      const anonymous = await startOk({ question: "Quick one" });
      await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${anonymous.conversation.id}/close`,
        headers: { [visitorTokenHeader]: anonymous.visitorToken },
      });
      const anonymousRow = await ticketOf(anonymous.conversation.id);
      expect((await reply(anonymousRow.ticketId ?? -1, "Answer")).json()).toMatchObject({ channel: "chat" });
    });

    it("asks for the fields the business requires; only admins change them or see the identity secret", async () => {
      const agentView = await app.inject({
        method: "GET",
        url: "/api/v1/chat/settings",
        headers: { cookie: agent.cookie },
      });
      expect(agentView.json()).toMatchObject({ identitySecret: null, widgetKey });
      expect(agentView.json().embedSnippet).toBe(
        `<script src="http://localhost:3000/widget.js" data-tend-key="${widgetKey}" async></script>`,
      );
      const widget = {
        ...agentView.json().widget,
        prechat: {
          name: { enabled: true, required: true },
          email: { enabled: true, required: false },
          question: { enabled: true, required: false },
        },
        greeting: "Hej!",
      };
      const byAgent = await app.inject({
        method: "PUT",
        url: "/api/v1/chat/settings",
        headers: agent.headers,
        payload: { widget },
      });
      expect(byAgent.statusCode).toBe(403);
      const byAdmin = await app.inject({
        method: "PUT",
        url: "/api/v1/chat/settings",
        headers: admin.headers,
        payload: { widget },
      });
      expect(byAdmin.statusCode).toBe(200);
      expect(byAdmin.json().widget.greeting).toBe("Hej!");

      const nameless = await start({ question: "Hi" });
      expect(nameless.statusCode).toBe(400);
      expect(nameless.json().error.details).toEqual({ path: "body.name" });
      // No question is needed now: the conversation starts without a ticket until the first message.
      const named = await startOk({ name: "Nils" });
      expect(named.messages).toEqual([]);
      expect((await ticketOf(named.conversation.id)).ticketId).toBeNull();
      const sent = await app.inject({
        method: "POST",
        url: `/api/v1/chat/visitor/conversations/${named.conversation.id}/messages`,
        headers: { [visitorTokenHeader]: named.visitorToken },
        payload: { text: "First words" },
      });
      expect(sent.statusCode).toBe(201);
      expect((await ticketOf(named.conversation.id)).ticketId).not.toBeNull();

      const invalid = await app.inject({
        method: "PUT",
        url: "/api/v1/chat/settings",
        headers: admin.headers,
        payload: { widget: { ...widget, allowedOrigins: ["not an origin"] } },
      });
      expect(invalid.statusCode).toBe(400);
    });

    it("refuses pages outside the allowed sites once the business lists them", async () => {
      const current = (
        await app.inject({ method: "GET", url: "/api/v1/chat/settings", headers: { cookie: admin.cookie } })
      ).json();
      const put = (allowedOrigins: string[]) =>
        app.inject({
          method: "PUT",
          url: "/api/v1/chat/settings",
          headers: admin.headers,
          payload: { widget: { ...current.widget, allowedOrigins } },
        });
      expect((await put(["https://Shop.example/"])).statusCode).toBe(200);
      expect((await start({ name: "Ok" })).statusCode).toBe(201);
      const elsewhere = await app.inject({
        method: "POST",
        url: "/api/v1/chat/visitor/conversations",
        remoteAddress: nextAddress(),
        headers: { origin: "https://evil.example" },
        payload: { key: widgetKey, name: "Evil" },
      });
      expect(elsewhere.statusCode).toBe(403);
      expect((await put([])).statusCode).toBe(200);
    });
  });

  describe("with nobody online", () => {
    beforeAll(async () => {
      await setStatus(agent, "offline");
      // Office hours in UTC and the default policies: a first answer within 8 business hours.
      await ensureSlaDefaults(app.context, { timezone: "UTC" });
      app.context.clock.set("2026-01-09T15:00:00Z"); // a Friday afternoon, within the agents' sessions
    });

    it("turns the chat into an email conversation: email required, agent replies go out by mail", async () => {
      const config = await app.inject({ method: "GET", url: `/api/v1/chat/visitor/config?key=${widgetKey}` });
      expect(config.json().agentsOnline).toBe(false);

      const withoutEmail = await start({ name: "Olga", question: "Are you open on Sunday?" });
      expect(withoutEmail.statusCode).toBe(400);
      expect(withoutEmail.json().error.details).toMatchObject({
        path: "body.email",
        reason: "offline_email_required",
      });

      const started = await startOk({
        name: "Olga",
        email: "olga@example.com",
        question: "Are you open on Sunday?",
      });
      expect(started.conversation).toMatchObject({ replyChannel: "email", email: "olga@example.com" });
      // Two business hours are left on Friday; the other six run on Monday morning.
      expect(started.conversation).toHaveProperty("expectedReplyAt", "2026-01-12T15:00:00.000Z");
      const row = await ticketOf(started.conversation.id);
      if (row.ticketId === null) throw new Error("no ticket");

      const answer = await reply(row.ticketId, "Yes, 10:00 to 16:00.");
      expect(answer.statusCode).toBe(201);
      expect(answer.json()).toMatchObject({
        channel: "email",
        deliveryStatus: "queued",
        to: [{ name: "Olga", address: "olga@example.com" }],
      });
      const [queued] = await app.context.db.select().from(messages).where(eq(messages.id, answer.json().id));
      expect(queued.mailMessageId).toMatch(/@/);
      expect(queued.headers["Reply-To"]).toMatch(new RegExp(`^support\\+t${row.ticketId}-`));
      // The visitor still sees it if they come back to the page.
      expect((await read(started.conversation.id, started.visitorToken)).json().messages).toMatchObject([
        { from: "visitor" },
        { from: "agent", text: "Yes, 10:00 to 16:00." },
      ]);
    });
  });

  it("sets the agent's status only for a signed-in agent", async () => {
    const token = await bearerFor(app.context, "agent");
    const byToken = await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: token,
      payload: { status: "online" },
    });
    expect(byToken.statusCode).toBe(403);
    const wrong = await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "busy" },
    });
    expect(wrong.statusCode).toBe(400);
  });

  it("limits how often one address may start chats", async () => {
    const remoteAddress = "10.99.0.1";
    const statuses: number[] = [];
    for (let i = 0; i <= chatRateLimits.start.max; i++) {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/chat/visitor/conversations",
        remoteAddress,
        payload: { key: "tw_wrong" },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, chatRateLimits.start.max).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await start({ name: "Fine", email: "fine@example.com" })).statusCode).toBe(201);
  });
});
