import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { chatConversations, surveySends } from "../../db/schema.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { jobDefinitions } from "../../jobs/job-registry.ts";
import { runDueJobs } from "../../jobs/job-worker.ts";
import { visitorTokenHeader } from "../chat/chat-visitor.routes.ts";

describeDb("the survey at the end of a chat", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let widgetKey: string;
  let address = 0;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    const admin = await signInAs(app, "admin", "Ada Admin");
    agent = await signInAs(app, "agent", "Maria Agent");
    const settings = await app.inject({
      method: "GET",
      url: "/api/v1/chat/settings",
      headers: { cookie: admin.cookie },
    });
    widgetKey = settings.json().widgetKey;
    await app.inject({
      method: "PATCH",
      url: "/api/v1/me/status",
      headers: agent.headers,
      payload: { status: "online" },
    });
  });
  afterAll(async () => app.close());

  async function startChat(email: string, question: string) {
    const started = await app.inject({
      method: "POST",
      url: "/api/v1/chat/visitor/conversations",
      remoteAddress: `10.9.0.${++address}`,
      headers: { origin: "https://shop.example" },
      payload: { key: widgetKey, name: "Vic Visitor", email, question },
    });
    expect(started.statusCode, started.body).toBe(201);
    const { conversation, visitorToken } = started.json() as {
      conversation: { id: number };
      visitorToken: string;
    };
    const [row] = await database.current.db
      .select({ ticketId: chatConversations.ticketId })
      .from(chatConversations)
      .where(eq(chatConversations.id, conversation.id));
    if (!row?.ticketId) throw new Error("the first question opened no ticket");
    return { conversationId: conversation.id, visitorToken, ticketId: row.ticketId };
  }

  const close = (chat: { conversationId: number; visitorToken: string }) =>
    app.inject({
      method: "POST",
      url: `/api/v1/chat/visitor/conversations/${chat.conversationId}/close`,
      remoteAddress: `10.9.1.${++address}`,
      headers: { [visitorTokenHeader]: chat.visitorToken },
      payload: {},
    });

  it("asks the CSAT question when the visitor ends a chat an agent answered, and takes one click as the answer", async () => {
    const chat = await startChat("vic@example.test", "Can I change my grind?");
    const reply = await app.inject({
      method: "POST",
      url: `/api/v1/tickets/${chat.ticketId}/messages`,
      headers: agent.headers,
      payload: { text: "Of course, I've switched it to espresso." },
    });
    expect(reply.statusCode).toBe(201);
    const closed = await close(chat);
    expect(closed.statusCode).toBe(200);
    const { survey } = closed.json();
    expect(survey).toMatchObject({
      question: { type: "csat", prompt: "How would you rate the help you got from us?" },
      commentPrompt: "Anything you would like to add?",
    });
    expect(survey.question.points.map((p: { value: number }) => p.value)).toEqual([1, 2, 3, 4, 5]);
    expect(survey.question.points[0]).toMatchObject({ label: "Very dissatisfied", symbol: "😠" });

    const rated = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${survey.token}/response`,
      headers: { origin: "https://shop.example" },
      payload: { score: 5 },
    });
    expect(rated.statusCode).toBe(201);
    const commented = await app.inject({
      method: "POST",
      url: `/api/v1/surveys/public/${survey.token}/comment`,
      payload: { comment: "Super quick" },
    });
    expect(commented.json()).toMatchObject({ score: 5, comment: "Super quick" });
    const [send] = await database.current.db
      .select()
      .from(surveySends)
      .where(eq(surveySends.ticketId, chat.ticketId));
    expect(send).toMatchObject({ channel: "chat", kind: "csat", status: "sent" });

    // Answered in the chat: solving the ticket mails no second survey.
    await app.inject({
      method: "PATCH",
      url: `/api/v1/tickets/${chat.ticketId}`,
      headers: agent.headers,
      payload: { status: "solved" },
    });
    await runDueJobs(app.context, jobDefinitions);
    app.context.clock.advance(25 * 3_600_000);
    await runDueJobs(app.context, jobDefinitions);
    const sends = await database.current.db
      .select()
      .from(surveySends)
      .where(eq(surveySends.ticketId, chat.ticketId));
    expect(sends).toHaveLength(1);
  });

  it("asks nothing when no agent answered", async () => {
    const chat = await startChat("quiet@example.test", "Hello?");
    const closed = await close(chat);
    expect(closed.json()).toEqual({ ok: true, survey: null });
  });
});
