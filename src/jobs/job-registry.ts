import { frustrationBackfillJob } from "./frustration-backfill.job.ts";
import type { JobDefinition } from "./job-definition.ts";
import { jobsCleanupJob } from "./jobs-cleanup.job.ts";
import { riskCustomerJob, riskNightlyJob } from "./risk-scoring.job.ts";
import { slaSweepJob } from "./sla-sweep.job.ts";
import { surveyCheckInJob } from "./survey-check-in.job.ts";
import { surveyDeliveryJob } from "./survey-delivery.job.ts";
import { surveyNpsSweepJob } from "./survey-nps.job.ts";
import { surveyRecoveryDueJob } from "./survey-recovery-due.job.ts";
import { surveyResolutionJob } from "./survey-resolution.job.ts";
import { ticketAutomationJob } from "./ticket-automation.job.ts";
import { webhookDeliveryJob } from "./webhook-delivery.job.ts";

/** Every job the `worker` role runs. A new job is a `src/jobs/<name>.job.ts` file added here. */
export const jobDefinitions: JobDefinition[] = [
  frustrationBackfillJob,
  riskNightlyJob,
  riskCustomerJob,
  jobsCleanupJob,
  slaSweepJob,
  surveyCheckInJob,
  surveyDeliveryJob,
  surveyNpsSweepJob,
  surveyRecoveryDueJob,
  surveyResolutionJob,
  ticketAutomationJob,
  webhookDeliveryJob,
];
