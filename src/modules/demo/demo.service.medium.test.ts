import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { createTestDatabase, describeDb, testBackend, useTestDatabase } from "../../../test/db.ts";
import { createManualClock } from "../../clock.ts";
import { teamMembers, users } from "../../db/schema.ts";
import { createCustomer } from "../customers/customers.service.ts";
import { verifyPassword } from "../users/users.service.ts";
import { createDemoWorkspace, isWorkspaceInitialised, summariseDemo } from "./demo.service.ts";

const now = "2026-01-05T09:00:00Z";
const scale = 0.05;

type Count = { n: number | string };

describeDb("demo workspace", () => {
  const database = useTestDatabase();

  it("fills an empty database with a believable business and a working admin login", async () => {
    const ctx = buildTestContext(database.current, { clock: createManualClock(now) });
    expect(await isWorkspaceInitialised(ctx)).toBe(false);
    const steps: string[] = [];
    const { login } = await createDemoWorkspace(ctx, { scale, onProgress: (step) => steps.push(step) });
    expect(await isWorkspaceInitialised(ctx)).toBe(true);
    expect(steps.length).toBeGreaterThanOrEqual(8);
    expect(login.email).toBe(`demo@${ctx.config.mailDomain}`);
    expect(login.password.length).toBeGreaterThanOrEqual(16);

    const [admin] = await ctx.db.select().from(users).where(eq(users.email, login.email));
    expect(admin.role).toBe("admin");
    expect(await verifyPassword(admin.passwordHash ?? "", login.password)).toBe(true);
    const agents = await ctx.db.select().from(users);
    expect(agents.map((u) => u.role).sort()).toEqual(["admin", "agent", "agent", "agent", "agent", "lead"]);
    expect((await ctx.db.select().from(teamMembers)).length).toBeGreaterThanOrEqual(6);

    const summary = await summariseDemo(ctx);
    expect(summary.counts.customers).toBe(100);
    expect(summary.counts.orders).toBeGreaterThan(700);
    expect(summary.counts.orders).toBeLessThan(1400);
    expect(summary.counts.tickets).toBeGreaterThan(150);
    expect(summary.counts.messages).toBeGreaterThan(summary.counts.tickets * 2.5);

    const q = <T>(text: string, params: unknown[] = []) => database.current.query<T>(text, params);
    const [orphans] = await q<Count>(
      `select count(*) as n from tickets t
       where not exists (select 1 from customers c where c.id = t.customer_id)
          or not exists (select 1 from messages m where m.ticket_id = t.id)`,
    );
    expect(Number(orphans.n)).toBe(0);
    // Its history gives SLA measurements (some targets missed, most met) and live clocks on unsolved tickets.
    const [sla] = await q<{ completed: number | string; met: number | string; live: number | string }>(
      `select (select count(*) from sla_measurements where met is not null) as completed,
              (select count(*) from sla_measurements where met) as met,
              (select count(*) from tickets where status in ('new', 'open')
                 and (sla_due_at is not null or sla_breached_at is not null)) as live`,
    );
    const metShare = Number(sla.met) / Number(sla.completed);
    expect(Number(sla.completed)).toBeGreaterThan(summary.counts.tickets);
    expect(metShare).toBeGreaterThan(0.5);
    expect(metShare).toBeLessThan(0.98);
    const [unsolved] = await q<Count>("select count(*) as n from tickets where status in ('new', 'open')");
    expect(Number(sla.live)).toBe(Number(unsolved.n));
    const [nonPositive] = await q<Count>("select count(*) as n from orders where amount_minor <= 0");
    expect(Number(nonPositive.n)).toBe(0);
    const [lapsed] = await q<Count>(
      `select count(*) as n from (select customer_id from orders group by customer_id
       having count(*) > 1 and max(placed_at) < $1::timestamptz - interval '180 days') x`,
      [now],
    );
    expect(Number(lapsed.n)).toBeGreaterThan(5);
    const [returned] = await q<Count>(
      `select count(distinct customer_id) as n from (
         select customer_id, placed_at - lag(placed_at) over (partition by customer_id order by placed_at) as gap
         from orders) x where gap > interval '180 days'`,
    );
    expect(Number(returned.n)).toBeGreaterThan(0);
    const [recent] = await q<Count>(
      "select count(*) as n from tickets where status in ('new', 'open', 'pending', 'on_hold')",
    );
    expect(Number(recent.n)).toBeGreaterThan(0);

    // Survey history: CSAT sends after solved tickets, some answered, lower after slow or reopened tickets.
    expect(summary.counts.surveySends).toBeGreaterThan(summary.counts.tickets * 0.6);
    expect(summary.counts.surveyResponses).toBeGreaterThan(summary.counts.surveySends * 0.15);
    const [orphanSends] = await q<Count>(
      `select count(*) as n from survey_sends s join tickets t on t.id = s.ticket_id
       where t.solved_at is null or s.created_at < t.solved_at or s.agent_id is distinct from t.assignee_id`,
    );
    expect(Number(orphanSends.n)).toBe(0);
    const [answered] = await q<Count>(
      "select count(*) as n from timeline_events where kind = 'survey.answered'",
    );
    expect(Number(answered.n)).toBe(summary.counts.surveyResponses);

    // Ids continue after the demo rows, so ordinary use afterwards does not collide with them.
    const customerId = await createCustomer(ctx, {
      identities: [{ kind: "email", value: "new@example.com" }],
    });
    expect(customerId).toBe(101);
  });

  it("writes identical data to two fresh databases for the same seed and clock", async () => {
    const other = await createTestDatabase();
    try {
      const ctx = buildTestContext(other, { clock: createManualClock(now) });
      await createDemoWorkspace(ctx, { scale });
      const first = await summariseDemo(buildTestContext(database.current));
      const second = await summariseDemo(ctx);
      // The first database also has the customer the previous test added.
      expect(second.counts.customers).toBe(first.counts.customers - 1);
      const again = await createTestDatabase();
      try {
        const ctx3 = buildTestContext(again, { clock: createManualClock(now) });
        await createDemoWorkspace(ctx3, { scale });
        expect(await summariseDemo(ctx3)).toEqual(second);
      } finally {
        await again.close();
      }
    } finally {
      await other.close();
    }
  }, 60_000);

  it("adds a second demo after existing data when forced, with its own logins", async () => {
    const ctx = buildTestContext(database.current, { clock: createManualClock(now) });
    const before = await summariseDemo(ctx);
    const { login } = await createDemoWorkspace(ctx, { scale: 0.02, seed: 99 });
    const after = await summariseDemo(ctx);
    expect(login.email).toBe(`demo2@${ctx.config.mailDomain}`);
    expect(after.counts.customers).toBe(before.counts.customers + 40);
    expect(after.counts.users).toBe(before.counts.users + 6);
    expect(after.counts.teams).toBe(2);
  });

  it.runIf(testBackend === "pglite")(
    "at full scale, customers served slowly stop buying more often (the planted effect)",
    async () => {
      const full = await createTestDatabase();
      try {
        const ctx = buildTestContext(full, { clock: createManualClock(now) });
        // How long this takes is a benchmark matter (the first `npm start`), not something a test asserts.
        await createDemoWorkspace(ctx);
        // Tickets of customers with no earlier bad experience, opened >= 270 days ago by a repeat buyer: did they
        // order again later than 180 days after the ticket? Split by slow first reply (> 24 h) or reopened.
        const rows = await full.query<{ bad: boolean; n: number | string; churned: number | string }>(
          `with flagged as (
             select t.id, t.customer_id, t.created_at,
               coalesce((select min(m.created_at) from messages m
                          where m.ticket_id = t.id and m.direction = 'outbound' and not m.is_internal), $1::timestamptz)
                 - t.created_at > interval '24 hours' or 'reopened' = any(t.tags) as bad
             from tickets t),
           history as (
             select f.*, coalesce(bool_or(bad) over (partition by customer_id order by created_at, id
               rows between unbounded preceding and 1 preceding), false) as bad_before
             from flagged f)
           select h.bad, count(*) as n,
             count(*) filter (where not exists (select 1 from orders o where o.customer_id = h.customer_id
               and o.placed_at > h.created_at + interval '180 days')) as churned
           from history h
           where not h.bad_before and h.created_at <= $1::timestamptz - interval '270 days'
             and (select count(*) from orders o where o.customer_id = h.customer_id
                  and o.placed_at <= h.created_at) >= 2
           group by h.bad`,
          [now],
        );
        const share = (bad: boolean) => {
          const row = rows.find((r) => r.bad === bad);
          if (!row) throw new Error(`no ${bad ? "slow" : "fast"} tickets`);
          return Number(row.churned) / Number(row.n);
        };
        expect(share(true)).toBeGreaterThan(share(false) * 1.15);
        // The survey history carries the same signal: low CSAT (1-2) is far more common after bad service.
        const [csat] = await full.query<{
          bad_low: number | string;
          bad_n: number | string;
          good_low: number | string;
          good_n: number | string;
        }>(
          `with answered as (
             select r.score, coalesce((select min(m.created_at) from messages m where m.ticket_id = t.id
                 and m.direction = 'outbound' and not m.is_internal), $1::timestamptz) - t.created_at > interval '24 hours'
               or 'reopened' = any(t.tags) as bad
             from survey_responses r join survey_sends s on s.id = r.send_id join tickets t on t.id = s.ticket_id)
           select count(*) filter (where bad and score <= 2) as bad_low, count(*) filter (where bad) as bad_n,
                  count(*) filter (where not bad and score <= 2) as good_low, count(*) filter (where not bad) as good_n
           from answered`,
          [now],
        );
        const lowShare = (low: number | string, n: number | string) => Number(low) / Number(n);
        expect(lowShare(csat.bad_low, csat.bad_n)).toBeGreaterThan(lowShare(csat.good_low, csat.good_n) * 3);
      } finally {
        await full.close();
      }
    },
    90_000,
  );
});
