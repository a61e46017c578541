import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { buildTestApp } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { type SignedIn, signInAs } from "../http/auth-test-helpers.ts";
import { defineJob } from "./job-definition.ts";
import { enqueueJob } from "./job-queue.ts";
import { runDueJobs } from "./job-worker.ts";

describeDb("jobs API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let admin: SignedIn;
  let lead: SignedIn;
  let agent: SignedIn;

  const syncCrm = defineJob({
    name: "test.sync-crm",
    payload: z.object({ customerId: z.number() }),
    retry: { maxAttempts: 1 },
    async handler() {
      throw new Error("CRM answered 401: token expired");
    },
  });

  beforeAll(async () => {
    app = await buildTestApp(database.current);
    admin = await signInAs(app, "admin");
    lead = await signInAs(app, "lead");
    agent = await signInAs(app, "agent");
  });
  afterAll(async () => app.close());

  it("shows admins the failed jobs with their errors, and lets them retry one", async () => {
    const { id } = await enqueueJob(app.context, syncCrm, { customerId: 9 });
    expect(await runDueJobs(app.context, [syncCrm])).toMatchObject({ failed: 1 });

    const list = await app.inject({
      method: "GET",
      url: "/api/v1/jobs?status=failed",
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    const body = list.json() as {
      items: { id: number; status: string; lastError: string; payload: unknown }[];
      counts: Record<string, number>;
    };
    expect(body.items).toEqual([
      expect.objectContaining({
        id,
        name: "test.sync-crm",
        status: "failed",
        payload: { customerId: 9 },
        lastError: "Attempt 1 of 1: CRM answered 401: token expired",
      }),
    ]);
    expect(body.counts.failed).toBe(1);

    const retried = await app.inject({
      method: "POST",
      url: `/api/v1/jobs/${id}/retry`,
      headers: admin.headers,
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: "queued", attempts: 0 });
    const queued = await app.inject({
      method: "GET",
      url: "/api/v1/jobs?status=queued",
      headers: { cookie: admin.cookie },
    });
    expect((queued.json() as { items: { id: number }[] }).items.map((job) => job.id)).toContain(id);

    // Queued now: nothing to retry.
    const again = await app.inject({
      method: "POST",
      url: `/api/v1/jobs/${id}/retry`,
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: "conflict" } });
    const missing = await app.inject({
      method: "POST",
      url: "/api/v1/jobs/999999/retry",
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it("refuses agents and leads", async () => {
    for (const who of [agent, lead]) {
      const list = await app.inject({ method: "GET", url: "/api/v1/jobs", headers: { cookie: who.cookie } });
      expect(list.statusCode).toBe(403);
      const retry = await app.inject({ method: "POST", url: "/api/v1/jobs/1/retry", headers: who.headers });
      expect(retry.statusCode).toBe(403);
    }
    const anonymous = await app.inject({ method: "GET", url: "/api/v1/jobs" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("rejects an unknown status with the field named, and documents the routes", async () => {
    const bad = await app.inject({
      method: "GET",
      url: "/api/v1/jobs?status=exploded",
      headers: { cookie: admin.cookie },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("status");
    const openapi = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/api/v1/jobs", "/api/v1/jobs/{id}/retry"]),
    );
  });
});
