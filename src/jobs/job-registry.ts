import type { JobDefinition } from "./job-definition.ts";
import { jobsCleanupJob } from "./jobs-cleanup.job.ts";
import { slaSweepJob } from "./sla-sweep.job.ts";
import { ticketAutomationJob } from "./ticket-automation.job.ts";
import { webhookDeliveryJob } from "./webhook-delivery.job.ts";

/** Every job the `worker` role runs. A new job is a `src/jobs/<name>.job.ts` file added here. */
export const jobDefinitions: JobDefinition[] = [
  jobsCleanupJob,
  slaSweepJob,
  ticketAutomationJob,
  webhookDeliveryJob,
];
