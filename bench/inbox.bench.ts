// Inbox list latency at 100,000 tickets: GET /api/v1/tickets through the real app (app.inject, so no network),
// beside the bare index scan of the same page in SQL. Usage: npm run bench -- inbox [--tickets N] [--backend pglite|postgres|both]

import { systemClock } from "../src/clock.ts";
import { buildConfig } from "../src/config.ts";
import { createEventBus } from "../src/events/event-bus.ts";
import { buildApp } from "../src/http/app.ts";
import { ticketSummariesQuery } from "../src/modules/tickets/tickets.repo.ts";
import { createApiToken, createUser } from "../src/modules/users/users.service.ts";
import { type BenchDatabase, openBenchDatabase, percentile, round } from "./bench-db.ts";

function flag(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
}

async function seed(query: (sql: string, params?: unknown[]) => Promise<unknown[]>, tickets: number) {
  const customers = Math.max(1, Math.round(tickets / 5));
  await query(
    `insert into customers (name, created_at, updated_at)
    select 'Customer ' || g, now() - (g || ' minutes')::interval, now() from generate_series(1, $1) g`,
    [customers],
  );
  await query(`insert into customer_identities (customer_id, kind, value, is_primary)
    select id, 'email', 'customer' || id || '@example.com', true from customers`);
  // Deterministic spread: 15% new, 25% open, 10% pending, 5% on_hold, 35% solved, 10% closed; 1 in 4 unassigned;
  // 1 in 10 tickets with a highly frustrated customer and 1 in 10 mildly (the "frustrated first" order).
  await query(
    `insert into tickets (subject, status, priority, channel, customer_id, assignee_id, reply_token,
      created_at, updated_at, last_message_at, frustration_score)
    select 'Order question ' || g,
      (case when g % 20 < 3 then 'new' when g % 20 < 8 then 'open' when g % 20 < 10 then 'pending'
            when g % 20 < 11 then 'on_hold' when g % 20 < 18 then 'solved' else 'closed' end)::ticket_status,
      (array['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
      (array['email','email','email','chat','phone'])[1 + g % 5]::channel,
      1 + (g * 7919) % $2,
      case when g % 4 = 0 then null else (select id from users order by id offset (g % 6) limit 1) end,
      md5(g::text),
      now() - ((g * 37) % 1000000 || ' seconds')::interval, now(), now() - ((g * 37) % 1000000 || ' seconds')::interval,
      case when g % 10 = 3 then 0.62 when g % 10 = 6 then 0.35 end
    from generate_series(1, $1) g`,
    [tickets, customers],
  );
  await query(`insert into messages (ticket_id, direction, channel, author_customer_id, text, delivery_status, created_at)
    select id, 'inbound', channel, customer_id,
      'Hello, I have a question about my order ' || id || '. It has not arrived yet and I would like to know when it will.',
      'received', last_message_at from tickets`);
  await query("analyze");
}

type PlanNode = {
  "Relation Name"?: string;
  "Index Name"?: string;
  "Node Type": string;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

function findTicketsScan(node: PlanNode): PlanNode | null {
  if (node["Relation Name"] === "tickets") return node;
  for (const child of node.Plans ?? []) {
    const found = findTicketsScan(child);
    if (found) return found;
  }
  return null;
}

/** How each open view's first page reads tickets (EXPLAIN ANALYZE of the inbox's own query): index, rows skipped. */
async function inboxPlans(database: BenchDatabase, meUserId: number) {
  const plans: Record<string, { scan: string; index: string | null; rowsRemovedByFilter: number }> = {};
  for (const view of ["open", "unassigned", "mine", "all"] as const) {
    const query = ticketSummariesQuery(
      database.db,
      { view, meUserId, now: new Date() },
      { limit: 50 },
    ).toSQL();
    const [row] = (await database.query(`explain (analyze, format json) ${query.sql}`, query.params)) as {
      "QUERY PLAN": unknown;
    }[];
    const raw = row["QUERY PLAN"];
    const [top] = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    const scan = findTicketsScan(top.Plan);
    plans[view] = {
      scan: scan?.["Node Type"] ?? "none",
      index: scan?.["Index Name"] ?? null,
      rowsRemovedByFilter: scan?.["Rows Removed by Filter"] ?? 0,
    };
  }
  return plans;
}

async function measure(label: string, count: number, fn: () => Promise<void>) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    label,
    requests: count,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    maxMs: round(samples[samples.length - 1]),
  };
}

async function runOn(kind: "pglite" | "postgres", tickets: number) {
  const database = await openBenchDatabase(kind, "inbox");
  try {
    const context = {
      db: database.db,
      database,
      clock: systemClock,
      events: createEventBus(),
      config: buildConfig({ logLevel: "silent" }),
    };
    for (let i = 0; i < 6; i++) {
      await createUser(context, {
        email: `agent${i}@bench.test`,
        name: `Agent ${i}`,
        role: i === 0 ? "admin" : "agent",
        password: "bench-password-123",
      });
    }
    const seedStart = performance.now();
    await seed((sql, params) => database.query(sql, params), tickets);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const { token } = await createApiToken(context, { name: "bench", role: "admin" });
    const app = await buildApp({ context });
    await app.ready();
    const headers = { authorization: `Bearer ${token}` };
    const views = ["open", "unassigned", "pending", "solved", "all", "mine"];
    let i = 0;
    const list = await measure("GET /api/v1/tickets?view=…&limit=50 (rotating views)", 300, async () => {
      const view = views[i++ % views.length];
      const response = await app.inject({
        method: "GET",
        url: `/api/v1/tickets?view=${view}&limit=50`,
        headers,
      });
      if (response.statusCode !== 200) throw new Error(`${view}: ${response.statusCode} ${response.body}`);
    });
    const first = await app.inject({ method: "GET", url: "/api/v1/tickets?view=all&limit=50", headers });
    const cursor = first.json().nextCursor as string;
    const page2 = await measure("GET /api/v1/tickets?view=all (second page by cursor)", 200, async () => {
      const response = await app.inject({
        method: "GET",
        url: `/api/v1/tickets?view=all&limit=50&cursor=${encodeURIComponent(cursor)}`,
        headers,
      });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    });
    const firstOpen = await app.inject({ method: "GET", url: "/api/v1/tickets?view=open&limit=50", headers });
    const openCursor = firstOpen.json().nextCursor as string;
    const openPage2 = await measure(
      "GET /api/v1/tickets?view=open (second page by cursor)",
      200,
      async () => {
        const response = await app.inject({
          method: "GET",
          url: `/api/v1/tickets?view=open&limit=50&cursor=${encodeURIComponent(openCursor)}`,
          headers,
        });
        if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
      },
    );
    const counts = await measure("GET /api/v1/tickets/counts", 100, async () => {
      const response = await app.inject({ method: "GET", url: "/api/v1/tickets/counts", headers });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    });
    const [firstAgent] = (await database.query("select id from users order by id limit 1")) as {
      id: number;
    }[];
    const plans = await inboxPlans(database, firstAgent.id);
    const baseline = await measure(
      "baseline: bare SQL index scan of one page of the all view, ids only",
      300,
      async () => {
        await database.query(
          "select id from tickets order by last_message_at desc nulls last, id desc nulls last limit 50",
        );
      },
    );
    await app.close();
    return {
      backend: kind,
      tickets,
      seedSeconds: round(seedSeconds, 1),
      list,
      secondPage: page2,
      openSecondPage: openPage2,
      counts,
      plans,
      baseline,
      ratioP95ToBaseline: round(list.p95Ms / baseline.p95Ms, 1),
    };
  } finally {
    await database.dispose();
  }
}

export async function run(args: string[]) {
  const tickets = Number(flag(args, "tickets", "100000"));
  const backend = flag(args, "backend", "both");
  const results = [];
  if (backend !== "postgres") results.push(await runOn("pglite", tickets));
  if (backend !== "pglite") results.push(await runOn("postgres", tickets));
  return { aim: "p95 under 50 ms at 100,000 tickets on PGlite", results };
}
