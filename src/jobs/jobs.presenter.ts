import type { z } from "zod";
import type { JobRow } from "./job-queue.ts";
import type { jobSchema } from "./jobs.schemas.ts";

export function presentJob(row: JobRow): z.infer<typeof jobSchema> {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    payload: row.payload,
    runAt: row.runAt.toISOString(),
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    singletonKey: row.singletonKey,
    lockedBy: row.lockedBy,
    lockedUntil: row.lockedUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
