import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorResponses } from "../http/api-common.schemas.ts";
import { countJobs, listJobs, retryJob } from "./job-queue.ts";
import { presentJob } from "./jobs.presenter.ts";
import { jobIdParams, jobListQuerySchema, jobListResponseSchema, jobSchema } from "./jobs.schemas.ts";

const tags = ["jobs"];

/** The background job queue, for admins: what is waiting, what failed and why, and retrying a failed job. */
export async function registerJobRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/jobs",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Background jobs, newest first, optionally of one status (e.g. failed) or name",
        querystring: jobListQuerySchema,
        response: { 200: jobListResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { status, name, limit, before } = request.query;
      const rows = await listJobs(ctx, { status, name, limit, beforeId: before });
      return {
        items: rows.map(presentJob),
        counts: await countJobs(ctx),
        nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.post(
    "/api/v1/jobs/:id/retry",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Queue a failed or cancelled job again, due now, with its attempts reset",
        params: jobIdParams,
        response: { 200: jobSchema, ...errorResponses },
      },
    },
    async (request) => presentJob(await retryJob(ctx, request.params.id)),
  );
}
