import { z } from "zod";
import { limitSchema } from "../http/api-common.schemas.ts";

export const jobStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "cancelled"]);

/** Job ids are bigint in the database; safe integers in JSON. */
const jobIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const jobIdParams = z.object({ id: jobIdSchema });

export const jobListQuerySchema = z.object({
  status: jobStatusSchema.optional(),
  name: z.string().max(200).optional(),
  limit: limitSchema,
  /** Only jobs with a smaller id: pass `nextBefore` from the previous page. */
  before: jobIdSchema.optional(),
});

export const jobSchema = z.object({
  id: z.number(),
  name: z.string(),
  status: jobStatusSchema,
  payload: z.unknown(),
  runAt: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  singletonKey: z.string().nullable(),
  lockedBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const jobListResponseSchema = z.object({
  items: z.array(jobSchema),
  /** How many jobs are in each status, across all pages. */
  counts: z.record(jobStatusSchema, z.number()),
  nextBefore: z.number().nullable(),
});
