import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, receiveCustomerMessage } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer, buildSurveyComment } from "../../../test/factories.ts";
import { bearerFor, type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";

type ThemeDto = {
  phrase: string;
  count: number;
  previousCount: number;
  trend: string;
  examples: {
    source: string;
    ticketId: number | null;
    responseId: number | null;
    text: string;
    at: string;
  }[];
};

describeDb("what customers are saying (themes API)", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let lead: SignedIn;
  let agent: SignedIn;
  let integration: Record<string, string>;
  let commentId: number;

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    integration = await bearerFor(app.context, "agent");
    const say = async (at: string, email: string, text: string) => {
      app.context.clock.set(at);
      await receiveCustomerMessage(app, integration, { email, text });
    };
    // October: one late delivery, a couple of other things.
    await say(
      "2026-10-06T10:00:00Z",
      "a@example.com",
      "My late delivery finally came, but the box was damaged.",
    );
    await say(
      "2026-10-08T10:00:00Z",
      "b@example.com",
      "How do I change my password? The reset link is broken.",
    );
    await say("2026-10-09T10:00:00Z", "c@example.com", "Password reset link broken again.");
    // November: late deliveries everywhere, in messages and in survey comments.
    await say("2026-11-03T10:00:00Z", "d@example.com", "Another late delivery. I needed it for the weekend.");
    await say("2026-11-05T10:00:00Z", "e@example.com", "Hello, the delivery was late by four days.");
    await say(
      "2026-11-07T10:00:00Z",
      "f@example.com",
      "Late deliveries twice this month!\n\nOn Mon, 2 Nov 2026, Support wrote:\n> Sorry about the late delivery",
    );
    const customerId = await buildCustomer(app.context, { email: "g@example.com" });
    commentId = await buildSurveyComment(app.context, {
      customerId,
      comment: "Friendly agent but the late delivery ruined the gift.",
      at: new Date("2026-11-10T12:00:00Z"),
    });
    app.context.clock.set("2026-11-30T12:00:00Z");
    lead = await signInAs(app, "lead", "Lee Lead");
    agent = await signInAs(app, "agent", "Ada Agent");
  });
  afterAll(async () => app.close());

  const themes = (query: string, who: SignedIn = lead) =>
    app.inject({ method: "GET", url: `/api/v1/insights/themes?${query}`, headers: { cookie: who.cookie } });

  it("shows 'late delivery' rising this month against last, with the verbatims behind it", async () => {
    const response = await themes("from=2026-11-01&to=2026-11-30&source=all");
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
      previousFrom: "2026-10-02T00:00:00.000Z",
      texts: { current: 4, previous: 3 },
    });
    const late = body.themes.find((theme: ThemeDto) => theme.phrase === "late delivery");
    expect(late).toMatchObject({ count: 4, previousCount: 1, trend: "rising" });
    expect(body.themes[0].phrase).toBe("late delivery");
    expect(late.examples).toHaveLength(3);
    expect(late.examples[0]).toMatchObject({
      source: "comment",
      responseId: commentId,
      text: "Friendly agent but the late delivery ruined the gift.",
      at: "2026-11-10T12:00:00.000Z",
    });
    expect(late.examples[1]).toMatchObject({ source: "message", text: "Late deliveries twice this month!" });
    expect(late.examples[1].ticketId).toEqual(expect.any(Number));
    // Last month's theme is gone this month.
    expect(body.themes.find((theme: ThemeDto) => theme.phrase.includes("password"))).toBeUndefined();
  });

  it("reads one source at a time", async () => {
    const comments = (await themes("from=2026-11-01&to=2026-11-30&source=comments")).json();
    expect(comments.texts).toEqual({ current: 1, previous: 0 });
    expect(comments.themes).toEqual([]);
    const messages = (await themes("from=2026-11-01&to=2026-11-30&source=messages")).json();
    expect(messages.themes[0]).toMatchObject({ phrase: "late delivery", count: 3, previousCount: 1 });
    const october = (await themes("from=2026-10-01&to=2026-10-31&source=messages")).json();
    expect(october.themes.map((theme: ThemeDto) => theme.phrase)).toContain("reset link broken");
  });

  it("gives up to ten verbatims per theme when asked", async () => {
    const body = (await themes("from=2026-11-01&to=2026-11-30&examples=10")).json();
    const late = body.themes.find((theme: ThemeDto) => theme.phrase === "late delivery");
    expect(late.examples).toHaveLength(4);
    expect(late.examples.map((example: ThemeDto["examples"][number]) => example.at)).toEqual(
      [...late.examples.map((example: ThemeDto["examples"][number]) => example.at)].sort().reverse(),
    );
    const tooMany = await themes("examples=11");
    expect(tooMany.statusCode).toBe(400);
    expect(JSON.stringify(tooMany.json())).toContain("examples");
  });

  it("is for leads and admins, and refuses bad input with the field", async () => {
    expect((await themes("source=all", agent)).statusCode).toBe(403);
    const badSource = await themes("source=tweets");
    expect(badSource.statusCode).toBe(400);
    expect(JSON.stringify(badSource.json())).toContain("source");
    const backwards = await themes("from=2026-11-30&to=2026-11-01");
    expect(backwards.statusCode).toBe(400);
    expect(JSON.stringify(backwards.json())).toContain("to");
    expect((await themes("from=2026-02-30")).statusCode).toBe(400);
  });
});
