// Inbox list latency at 100,000 tickets: GET /api/v1/tickets through the real app (app.inject, so no network),
// beside the bare index scan of the same page in SQL. Usage: npm run bench -- inbox [--tickets N] [--backend pglite|postgres|both]

import { systemClock } from "../src/clock.ts";
import { buildConfig } from "../src/config.ts";
import { createEventBus } from "../src/events/event-bus.ts";
import { buildApp } from "../src/http/app.ts";
import { createApiToken, createUser } from "../src/modules/users/users.service.ts";
import { openBenchDatabase, percentile, round } from "./bench-db.ts";

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
  // Deterministic spread: 15% new, 25% open, 10% pending, 5% on_hold, 35% solved, 10% closed; 1 in 4 unassigned.
  await query(
    `insert into tickets (subject, status, priority, channel, customer_id, assignee_id, reply_token,
      created_at, updated_at, last_message_at)
    select 'Order question ' || g,
      (case when g % 20 < 3 then 'new' when g % 20 < 8 then 'open' when g % 20 < 10 then 'pending'
            when g % 20 < 11 then 'on_hold' when g % 20 < 18 then 'solved' else 'closed' end)::ticket_status,
      (array['low','normal','normal','high','urgent'])[1 + g % 5]::ticket_priority,
      (array['email','email','email','chat','phone'])[1 + g % 5]::channel,
      1 + (g * 7919) % $2,
      case when g % 4 = 0 then null else (select id from users order by id offset (g % 6) limit 1) end,
      md5(g::text),
      now() - ((g * 37) % 1000000 || ' seconds')::interval, now(), now() - ((g * 37) % 1000000 || ' seconds')::interval
    from generate_series(1, $1) g`,
    [tickets, customers],
  );
  await query(`insert into messages (ticket_id, direction, channel, author_customer_id, text, delivery_status, created_at)
    select id, 'inbound', channel, customer_id,
      'Hello, I have a question about my order ' || id || '. It has not arrived yet and I would like to know when it will.',
      'received', last_message_at from tickets`);
  await query("analyze");
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
    const counts = await measure("GET /api/v1/tickets/counts", 100, async () => {
      const response = await app.inject({ method: "GET", url: "/api/v1/tickets/counts", headers });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    });
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
      counts,
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
