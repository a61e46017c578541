import { eq, inArray } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { buildCustomer } from "../../../test/factories.ts";
import { scoreFrustration } from "../../analytics/text/frustration.ts";
import { messages, tickets } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import {
  enqueueFrustrationBackfillIfNeeded,
  frustrationBackfillJob,
} from "../../jobs/frustration-backfill.job.ts";
import { enqueueJob, listJobs } from "../../jobs/job-queue.ts";
import { jobDefinitions } from "../../jobs/job-registry.ts";
import { runDueJobs } from "../../jobs/job-worker.ts";
import { createDemoWorkspace } from "../demo/demo.service.ts";
import {
  backfillFrustration,
  backfillFrustrationBatch,
  hasMessagesToBackfill,
} from "./frustration-backfill.service.ts";
import { createTicket } from "./tickets.service.ts";

// Messages stored before the frustration scorer existed: inserted here as such rows are (no score, no cues), then
// scored by the backfill job as intake would have scored them.
describeDb("frustration backfill of messages stored before the scorer", () => {
  const database = useTestDatabase();
  let ctx: ReturnType<typeof buildTestContext>;
  const day = (d: number, hour = 10) => new Date(Date.UTC(2025, 5, d, hour));
  const ids = { repeated: 0, answered: 0, called: 0, mixed: 0 };
  const messageIds: Record<string, number> = {};

  async function legacyTicket(email: string, subject: string) {
    const customerId = await buildCustomer(ctx, { email });
    const ticket = await withTransaction(ctx, (tx) =>
      createTicket(tx, { subject, customerId, channel: "email" }),
    );
    return { customerId, ticketId: ticket.id };
  }
  async function legacyMessage(
    key: string,
    ticket: { customerId: number; ticketId: number },
    direction: "inbound" | "outbound",
    text: string,
    at: Date,
    extra: Partial<typeof messages.$inferInsert> = {},
  ) {
    const [row] = await ctx.db
      .insert(messages)
      .values({
        ticketId: ticket.ticketId,
        direction,
        channel: "email",
        authorCustomerId: direction === "inbound" ? ticket.customerId : null,
        text,
        deliveryStatus: direction === "inbound" ? "received" : "sent",
        createdAt: at,
        ...extra,
      })
      .returning();
    messageIds[key] = row.id;
  }
  const messageRow = async (key: string) =>
    (await ctx.db.select().from(messages).where(eq(messages.id, messageIds[key])))[0];
  const ticketRow = async (id: number) => (await ctx.db.select().from(tickets).where(eq(tickets.id, id)))[0];

  beforeAll(async () => {
    ctx = buildTestContext(database.current);
    ctx.clock.set("2025-07-01T09:00:00Z");
    // Asked three times in three days, the last time shouting and threatening to leave.
    const repeated = await legacyTicket("repeat@example.com", "Order 5512");
    ids.repeated = repeated.ticketId;
    await legacyMessage("repeat1", repeated, "inbound", "Where is order 5512?", day(2));
    await legacyMessage("repeat2", repeated, "inbound", "Any news on order 5512?", day(3));
    await legacyMessage(
      "repeat3",
      repeated,
      "inbound",
      "This is the THIRD time I'm asking!!! Cancel my account.",
      day(4),
    );
    // Angry, then answered by an agent: the ticket is only annoyed now.
    const answered = await legacyTicket("answered@example.com", "Refund");
    ids.answered = answered.ticketId;
    await legacyMessage(
      "angry",
      answered,
      "inbound",
      "Unacceptable. I want a refund or I'm filing a chargeback!!",
      day(2),
    );
    await legacyMessage(
      "reply",
      answered,
      "outbound",
      "I'm so sorry, I have refunded you in full.",
      day(2, 11),
    );
    await legacyMessage("note", answered, "inbound", "Customer called, seemed fine.", day(2, 12), {
      isInternal: true,
    });
    // Angry, then a call the agent picked up (the team's answer, never scored).
    const called = await legacyTicket("called@example.com", "Broken lid");
    ids.called = called.ticketId;
    await legacyMessage("broken", called, "inbound", "Third broken lid!!! This is a JOKE.", day(5));
    await legacyMessage("call", called, "inbound", "Incoming call, 4:10, answered", day(5, 11), {
      channel: "phone",
      metadata: { call: { direction: "inbound", outcome: "answered", durationSeconds: 250 } },
    });
    // Partly scored at intake already: that score stays, and still counts.
    const mixed = await legacyTicket("mixed@example.com", "Late parcel");
    ids.mixed = mixed.ticketId;
    await legacyMessage("old", mixed, "inbound", "Hello, is my parcel on its way?", day(6));
    await legacyMessage("scored", mixed, "inbound", "(scored at intake)", day(7), {
      frustrationScore: 0.9,
      frustrationCues: ["threatens to cancel or leave"],
    });
    await ctx.db
      .update(tickets)
      .set({ frustrationScore: 0.9, frustrationCues: ["threatens to cancel or leave"] })
      .where(eq(tickets.id, mixed.ticketId));
  });

  it("leaves nothing changed when a batch does not commit (a worker killed mid-batch)", async () => {
    expect(await hasMessagesToBackfill(ctx)).toBe(true);
    await expect(
      withTransaction(ctx, async (tx) => {
        const batch = await backfillFrustrationBatch(tx, 1);
        expect(batch).toMatchObject({ customers: 1, messages: 3, tickets: 1, more: true });
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    expect((await messageRow("repeat3")).frustrationScore).toBeNull();
    expect((await ticketRow(ids.repeated)).frustrationScore).toBeNull();
  });

  it("scores each batch as its own job until none is left, as intake would have scored each message", async () => {
    // One committed batch first (the first customer), then the job carries on from there.
    const first = await withTransaction(ctx, (tx) => backfillFrustrationBatch(tx, 1));
    expect(first).toMatchObject({ customers: 1, messages: 3, more: true });
    await enqueueJob(
      ctx,
      frustrationBackfillJob,
      { batchSize: 1 },
      { singletonKey: "frustration-backfill:test" },
    );
    const summary = await runDueJobs(ctx, jobDefinitions);
    expect(summary).toMatchObject({ failed: 0, retrying: 0 });
    expect(await hasMessagesToBackfill(ctx)).toBe(false);

    // The third message counted the two before it, as intake's count would have.
    const third = await messageRow("repeat3");
    const expected = scoreFrustration({
      text: "This is the THIRD time I'm asking!!! Cancel my account.",
      recentContacts: 3,
      contactWindowDays: 5,
    });
    expect(third.frustrationScore).toBe(expected.score);
    expect(third.frustrationCues).toEqual(expected.cues.map((cue) => cue.label));
    expect(third.frustrationCues).toEqual(
      expect.arrayContaining(["threatens to cancel or leave", "third contact in 5 days"]),
    );
    expect((await messageRow("repeat1")).frustrationScore).toBe(
      scoreFrustration({ text: "Where is order 5512?", recentContacts: 1 }).score,
    );
    // The ticket: the highest score since the last agent reply.
    expect(await ticketRow(ids.repeated)).toMatchObject({
      frustrationScore: expected.score,
      frustrationCues: expect.arrayContaining(["third contact in 5 days"]),
    });
    expect(expected.score).toBeGreaterThanOrEqual(0.5);

    // Answered by a reply or a picked-up call: annoyed at most; replies, notes and calls have no score.
    const angry = await messageRow("angry");
    expect(angry.frustrationScore).toBeGreaterThanOrEqual(0.5);
    const answered = await ticketRow(ids.answered);
    expect(answered.frustrationScore).toBeGreaterThanOrEqual(0.3);
    expect(answered.frustrationScore).toBeLessThan(0.5);
    expect(answered.frustrationScore).toBeCloseTo(Math.min((angry.frustrationScore ?? 0) / 2, 0.4), 3);
    const called = await ticketRow(ids.called);
    expect(called.frustrationScore).toBeLessThan(0.5);
    for (const key of ["reply", "note", "call"]) expect((await messageRow(key)).frustrationScore).toBeNull();

    // Scored at intake: kept, and still the ticket's level.
    expect((await messageRow("scored")).frustrationScore).toBe(0.9);
    expect((await messageRow("old")).frustrationScore).not.toBeNull();
    expect(await ticketRow(ids.mixed)).toMatchObject({
      frustrationScore: 0.9,
      frustrationCues: ["threatens to cancel or leave"],
    });

    // One job per batch, each committed with its own job row.
    const jobs = await listJobs(ctx, { name: "frustration.backfill", status: "succeeded" });
    expect(jobs).toHaveLength(3);
  });

  it("is idempotent: nothing to do afterwards, so no job is queued at start and a batch changes nothing", async () => {
    const before = await ctx.db
      .select({ id: messages.id, score: messages.frustrationScore })
      .from(messages)
      .where(inArray(messages.id, Object.values(messageIds)));
    expect(await enqueueFrustrationBackfillIfNeeded(ctx)).toBe(false);
    expect(await withTransaction(ctx, (tx) => backfillFrustrationBatch(tx))).toMatchObject({
      customers: 0,
      messages: 0,
      more: false,
    });
    const after = await ctx.db
      .select({ id: messages.id, score: messages.frustrationScore })
      .from(messages)
      .where(inArray(messages.id, Object.values(messageIds)));
    expect(after).toEqual(before);
  });

  it("queues one job at start when something is unscored, and not a second one beside it", async () => {
    const late = await legacyTicket("late@example.com", "Another one");
    await legacyMessage("late", late, "inbound", "Nobody answers!!! Unbelievable.", day(8));
    expect(await enqueueFrustrationBackfillIfNeeded(ctx)).toBe(true);
    expect(await enqueueFrustrationBackfillIfNeeded(ctx)).toBe(false);
    await runDueJobs(ctx, jobDefinitions);
    expect((await messageRow("late")).frustrationScore).not.toBeNull();
    expect((await ticketRow(late.ticketId)).frustrationScore).not.toBeNull();
  });
});

// The demo's history is scored by replaying it as intake would (demo.service). Forgetting every score and running
// the backfill must give back exactly the same scores, cues and ticket levels.
describeDb("frustration backfill of a whole workspace", () => {
  const database = useTestDatabase();

  it("gives back the demo's own scores, message by message and ticket by ticket", async () => {
    const ctx = buildTestContext(database.current);
    await createDemoWorkspace(ctx, { scale: 0.02, seed: 7 });
    const scores = async () => ({
      messages: await ctx.db
        .select({ id: messages.id, score: messages.frustrationScore, cues: messages.frustrationCues })
        .from(messages)
        .orderBy(messages.id),
      tickets: await ctx.db
        .select({ id: tickets.id, score: tickets.frustrationScore, cues: tickets.frustrationCues })
        .from(tickets)
        .orderBy(tickets.id),
    });
    const demo = await scores();
    expect(demo.messages.filter((row) => row.score !== null).length).toBeGreaterThan(50);
    expect(await hasMessagesToBackfill(ctx)).toBe(false);

    await ctx.db.update(messages).set({ frustrationScore: null, frustrationCues: [] });
    await ctx.db.update(tickets).set({ frustrationScore: null, frustrationCues: [] });
    expect(await hasMessagesToBackfill(ctx)).toBe(true);
    const total = await backfillFrustration(ctx, { batchSize: 50 });
    expect(total.batches).toBeGreaterThan(1);
    expect(await scores()).toEqual(demo);
  });
});
