import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildTestApp, buildTestContext } from "../../../test/app.ts";
import { describeDb, testBackend, useTestDatabase } from "../../../test/db.ts";
import { type Database, openPostgres } from "../../db/client.ts";
import { chatConversations } from "../../db/schema.ts";
import { createPgNotifyEventBus, type PgNotifyEventBus } from "../../events/pg-notify-bridge.ts";
import { buildApp } from "../../http/app.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import type { ServerFrame } from "./chat.schemas.ts";
import { defaultChatWidgetSettings, updateChatWidgetSettings } from "./chat-settings.service.ts";
import { socketCloseCodes } from "./chat-socket-hub.ts";

/** A real WebSocket client that keeps every frame and lets a test wait for the one it expects. */
async function connectVisitor(baseUrl: string) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/v1/chat/visitor/socket`, {
    headers: { origin: "https://shop.example" },
  });
  const frames: ServerFrame[] = [];
  const waiters: { predicate: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  let closed: { code: number } | null = null;
  const closeWaiters: ((code: number) => void)[] = [];
  socket.on("message", (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  socket.on("close", (code) => {
    closed = { code };
    for (const resolve of closeWaiters) resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const within = <T>(promise: Promise<T>, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} in time`)), 5000)),
    ]);
  return {
    socket,
    frames,
    send: (frame: object) => socket.send(JSON.stringify(frame)),
    /** The first frame (already received or still to come, after `from`) matching the predicate. */
    next<T extends ServerFrame["type"]>(
      type: T,
      predicate: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
      from = 0,
    ) {
      const matches = (f: ServerFrame): f is Extract<ServerFrame, { type: T }> =>
        f.type === type && predicate(f as Extract<ServerFrame, { type: T }>);
      const seen = frames.slice(from).find(matches);
      if (seen) return Promise.resolve(seen);
      return within(
        new Promise<Extract<ServerFrame, { type: T }>>((resolve) =>
          waiters.push({
            predicate: matches,
            resolve: (f) => resolve(f as Extract<ServerFrame, { type: T }>),
          }),
        ),
        `${type} frame`,
      );
    },
    closedWith(): Promise<number> {
      if (closed) return Promise.resolve(closed.code);
      return within(new Promise<number>((resolve) => closeWaiters.push(resolve)), "close");
    },
    close: () => socket.close(),
  };
}

type Visitor = Awaited<ReturnType<typeof connectVisitor>>;

/** Reads Server-Sent Events until one matches. */
async function nextSseEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (event: { type: string; data: Record<string, unknown> }) => boolean,
) {
  const decoder = new TextDecoder();
  let buffer = "";
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no SSE event in time")), 5000)),
    ]);
    if (chunk.done) throw new Error("stream ended");
    buffer += decoder.decode(chunk.value, { stream: true });
    let index = buffer.indexOf("\n\n");
    while (index >= 0) {
      const raw = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      const data = raw.split("\n").find((line) => line.startsWith("data: "));
      if (data) {
        const event = JSON.parse(data.slice(6)) as Record<string, unknown>;
        const parsed = { type: String(event.type), data: event };
        if (predicate(parsed)) return parsed;
      }
      index = buffer.indexOf("\n\n");
    }
  }
  throw new Error("no SSE event in time");
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

describeDb("live chat over WebSocket", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let base: string;
  let agent: SignedIn;
  let widgetKey: string;
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    base = await listen(app);
    agent = await signInAs(app, "agent", "Maria Agent");
    await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "online" },
    });
    widgetKey = (
      await app.inject({ method: "GET", url: "/api/v1/chat/settings", headers: { cookie: agent.cookie } })
    ).json().widgetKey;
  });
  afterAll(async () => {
    for (const visitor of visitors) visitor.close();
    await app.close();
  });

  let address = 0;
  const startChat = async (question: string) => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/chat/visitor/conversations",
      remoteAddress: `10.2.0.${++address}`,
      payload: { key: widgetKey, name: `Visitor ${address}`, question },
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json() as { conversation: { id: number }; visitorToken: string };
    const [row] = await app.context.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.id, body.conversation.id));
    if (row.ticketId === null) throw new Error("no ticket");
    return { ...body, ticketId: row.ticketId };
  };
  const open = async (token: string) => {
    const visitor = await connectVisitor(base);
    visitors.push(visitor);
    visitor.send({ type: "hello", token });
    return visitor;
  };
  const agentReply = (ticketId: number, text: string) =>
    app.inject({
      method: "POST",
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: agent.headers,
      payload: { text },
    });

  it("chats both ways live: history on hello, agent replies and typing in, visitor messages and typing out", async () => {
    const chat = await startChat("Is the blue kettle back in stock?");
    const visitor = await open(chat.visitorToken);
    const ready = await visitor.next("ready");
    expect(ready).toMatchObject({
      agentsOnline: true,
      conversation: { id: chat.conversation.id, replyChannel: "chat" },
      messages: [{ from: "visitor", text: "Is the blue kettle back in stock?" }],
    });

    // The agent's inbox listens over SSE, as the web app does.
    const controller = new AbortController();
    const sse = await fetch(`${base}/api/v1/events`, {
      headers: { cookie: agent.cookie },
      signal: controller.signal,
    });
    if (!sse.body) throw new Error("no SSE body");
    const reader = sse.body.getReader();
    // The stream is open once its first comment arrives.
    await reader.read();

    const typing = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${chat.ticketId}/typing`,
      headers: agent.headers,
      payload: { isTyping: true },
    });
    expect(typing.statusCode).toBe(200);
    expect(await visitor.next("typing")).toEqual({ type: "typing", isTyping: true, name: "Maria" });

    expect((await agentReply(chat.ticketId, "Yes, since this morning!")).statusCode).toBe(201);
    expect(await visitor.next("message", (f) => f.message.from === "agent")).toMatchObject({
      message: { from: "agent", authorName: "Maria", text: "Yes, since this morning!" },
    });

    visitor.send({ type: "typing", isTyping: true });
    const visitorTyping = await nextSseEvent(
      reader,
      (e) => e.type === "chat.typing" && e.data.from === "visitor",
    );
    expect(visitorTyping.data).toMatchObject({
      ticketId: chat.ticketId,
      conversationId: chat.conversation.id,
      from: "visitor",
      isTyping: true,
    });

    visitor.send({ type: "message", text: "Great, I'll order two.", clientId: "c1" });
    const ack = await visitor.next("message", (f) => f.clientId === "c1");
    expect(ack.message).toMatchObject({ from: "visitor", text: "Great, I'll order two." });
    const created = await nextSseEvent(
      reader,
      (e) => e.type === "message.created" && e.data.direction === "inbound",
    );
    expect(created.data).toMatchObject({ ticketId: chat.ticketId, direction: "inbound" });
    const ticket = (
      await app.inject({
        method: "GET",
        url: `/api/v1/tickets/${chat.ticketId}`,
        headers: { cookie: agent.cookie },
      })
    ).json();
    expect(ticket.messages.map((m: { text: string }) => m.text)).toEqual([
      "Is the blue kettle back in stock?",
      "Yes, since this morning!",
      "Great, I'll order two.",
    ]);
    controller.abort();
  });

  it("never sends one visitor's conversation to another visitor's socket", async () => {
    const alice = await startChat("Alice asks");
    const bob = await startChat("Bob asks");
    const aliceSocket = await open(alice.visitorToken);
    const bobSocket = await open(bob.visitorToken);
    await aliceSocket.next("ready");
    const bobReady = await bobSocket.next("ready");
    expect(JSON.stringify(bobReady)).not.toContain("Alice asks");

    await agentReply(alice.ticketId, "Private answer for Alice");
    await aliceSocket.next("message", (f) => f.message.text === "Private answer for Alice");
    await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${alice.ticketId}/messages`,
      headers: agent.headers,
      payload: { text: "Internal: Alice is a VIP", isInternal: true },
    });
    await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${alice.ticketId}/typing`,
      headers: agent.headers,
      payload: { isTyping: true },
    });
    // Events reach sockets in order: once Bob has his own marker, nothing of Alice's can still be on its way.
    await agentReply(bob.ticketId, "Marker for Bob");
    await bobSocket.next("message", (f) => f.message.text === "Marker for Bob");
    const bobSaw = JSON.stringify(bobSocket.frames);
    expect(bobSaw).not.toContain("Alice");
    expect(bobSocket.frames.filter((f) => f.type === "typing")).toEqual([]);
    await aliceSocket.next("typing");
    expect(JSON.stringify(aliceSocket.frames)).not.toContain("Internal: Alice is a VIP");
  });

  it("refuses forged tokens, frames before hello and ended conversations, and ends a chat whose ticket closes", async () => {
    const forged = await open(`tcv_${"x".repeat(43)}`);
    expect(await forged.next("error")).toMatchObject({ code: "unauthenticated" });
    expect(await forged.closedWith()).toBe(socketCloseCodes.unauthenticated);

    const rude = await connectVisitor(base);
    visitors.push(rude);
    rude.send({ type: "message", text: "hi", clientId: "x" });
    expect(await rude.closedWith()).toBe(socketCloseCodes.helloExpected);

    const chat = await startChat("Closing soon");
    const visitor = await open(chat.visitorToken);
    await visitor.next("ready");
    await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${chat.ticketId}`,
      headers: agent.headers,
      payload: { status: "closed" },
    });
    expect(await visitor.next("ended")).toMatchObject({ type: "ended" });
    expect(await visitor.closedWith()).toBe(socketCloseCodes.ended);
    const again = await open(chat.visitorToken);
    expect(await again.next("error")).toMatchObject({ code: "conversation_closed" });
    expect(await again.closedWith()).toBe(socketCloseCodes.ended);
  });

  it("shows a conversation's first message on its socket when another tab sent it over HTTP", async () => {
    await updateChatWidgetSettings(app.context, {
      ...defaultChatWidgetSettings,
      prechat: { ...defaultChatWidgetSettings.prechat, question: { enabled: true, required: false } },
    });
    const started = (
      await app.inject({
        method: "POST",
        url: "/api/v1/chat/visitor/conversations",
        remoteAddress: "10.2.1.1",
        payload: { key: widgetKey, name: "Two Tabs" },
      })
    ).json();
    const visitor = await open(started.visitorToken);
    expect(await visitor.next("ready")).toMatchObject({ messages: [] });
    const sent = await app.inject({
      method: "POST",
      url: `/api/v1/chat/visitor/conversations/${started.conversation.id}/messages`,
      headers: { "x-tend-visitor-token": started.visitorToken },
      payload: { text: "Typed in the other tab" },
    });
    expect(sent.statusCode).toBe(201);
    expect(await visitor.next("message")).toMatchObject({
      message: { from: "visitor", text: "Typed in the other tab" },
    });
    await updateChatWidgetSettings(app.context, defaultChatWidgetSettings);
  });

  it("tells open widgets when the last agent goes offline, and takes an email for the follow-up", async () => {
    const chat = await startChat("Anyone there?");
    const visitor = await open(chat.visitorToken);
    await visitor.next("ready");
    await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "away" },
    });
    expect(await visitor.next("availability")).toEqual({ type: "availability", agentsOnline: false });

    visitor.send({ type: "email", email: "late@example.com" });
    expect(await visitor.next("conversation")).toMatchObject({
      conversation: { replyChannel: "email", email: "late@example.com", expectedReplyAt: null },
    });
    const answer = await agentReply(chat.ticketId, "Sorry for the wait");
    expect(answer.json()).toMatchObject({
      channel: "email",
      deliveryStatus: "queued",
      to: [{ address: "late@example.com" }],
    });
    // Still on the page: the emailed answer shows in the widget too.
    await visitor.next("message", (f) => f.message.text === "Sorry for the wait");
    await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "online" },
    });
    expect(await visitor.next("availability", (f) => f.agentsOnline)).toEqual({
      type: "availability",
      agentsOnline: true,
    });
  });
});

// Two API processes on one PostgreSQL database: the visitor's socket is on one, the agent's request on the other.
const describePostgres = testBackend === "postgres" ? describeDb : describe.skip;

describePostgres("live chat across processes (LISTEN/NOTIFY)", () => {
  const database = useTestDatabase();
  const closers: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  async function startProcess(): Promise<{
    app: FastifyInstance & { tend: ReturnType<typeof buildTestContext> };
    base: string;
  }> {
    const url = database.current.url;
    if (!url) throw new Error("postgres test database without a URL");
    const own: Database = await openPostgres(url, 3);
    closers.push(() => own.close());
    if (own.raw.kind !== "postgres") throw new Error("expected PostgreSQL");
    const pool = own.raw.pool;
    const bus: PgNotifyEventBus = await createPgNotifyEventBus({
      databaseUrl: url,
      pool,
      reconnectDelayMs: 100,
    });
    closers.push(() => bus.close());
    const context = { ...buildTestContext(own), events: bus };
    const app = await buildApp({ context });
    closers.push(() => app.close());
    const base = await listen(app);
    return { app: app as FastifyInstance & { tend: typeof context }, base };
  }

  it("delivers an agent's reply and typing made on one process to the visitor's socket on the other", async () => {
    const api1 = await startProcess();
    const api2 = await startProcess();
    const withContext = Object.assign(api1.app, { context: api1.app.tend });
    const agent = await signInAs(withContext, "agent", "Remote Agent");
    await api1.app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "online" },
    });
    const widgetKey = (
      await api1.app.inject({
        method: "GET",
        url: "/api/v1/chat/settings",
        headers: { cookie: agent.cookie },
      })
    ).json().widgetKey;
    const started = (
      await api2.app.inject({
        method: "POST",
        url: "/api/v1/chat/visitor/conversations",
        payload: { key: widgetKey, name: "Far Visitor", question: "Hello from afar" },
      })
    ).json();
    const visitor = await connectVisitor(api2.base);
    closers.push(async () => visitor.close());
    visitor.send({ type: "hello", token: started.visitorToken });
    await visitor.next("ready");
    const [row] = await api1.app.tend.db
      .select()
      .from(chatConversations)
      .where(eq(chatConversations.id, started.conversation.id));

    await api1.app.inject({
      method: "POST",
      url: `/api/v1/tickets/${row.ticketId}/typing`,
      headers: agent.headers,
      payload: { isTyping: true },
    });
    expect(await visitor.next("typing")).toMatchObject({ isTyping: true, name: "Remote" });
    await api1.app.inject({
      method: "POST",
      url: `/api/v1/tickets/${row.ticketId}/messages`,
      headers: agent.headers,
      payload: { text: "Answered from the other process" },
    });
    expect(await visitor.next("message", (f) => f.message.from === "agent")).toMatchObject({
      message: { text: "Answered from the other process", authorName: "Remote" },
    });
  });
});
