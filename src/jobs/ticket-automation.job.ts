import { z } from "zod";
import { defineJob } from "./job-definition.ts";

export const ticketAutomationPayload = z.object({
  ticketId: z.number().int().positive(),
  /** The events rules react to, in order; empty when only routing needs to look (e.g. an assignment changed). */
  triggers: z
    .array(
      z.object({
        event: z.enum(["ticket.created", "message.received", "ticket.status_changed", "sla.warning"]),
        messageId: z.number().int().positive().nullable().default(null),
        statusChange: z.object({ from: z.string(), to: z.string() }).nullable().default(null),
        slaMetric: z.string().nullable().default(null),
      }),
    )
    .default([]),
  /** Changes made by rules do not run rules again (no loops); routing still runs. */
  fromRule: z.boolean().default(false),
  /** An agent whose load just went down (the ticket left them, or is no longer open): their teams may route. */
  freedAssigneeId: z.number().int().positive().nullable().default(null),
});

/**
 * After a ticket changes: run the rules for its event, then route it (or work freed by it) to an agent with room.
 * Enqueued by the tickets service in the transaction of the change, so nothing is lost if the process stops.
 */
export const ticketAutomationJob = defineJob({
  name: "ticket.automation",
  payload: ticketAutomationPayload,
  retry: { maxAttempts: 5, initialDelaySeconds: 10, factor: 4 },
  async handler(ctx, payload) {
    // Imported when run: the workflow uses the tickets service, which enqueues this job (no import cycle).
    const { runTicketAutomation } = await import("../workflows/ticket-automation.workflow.ts");
    await runTicketAutomation(ctx, payload);
  },
});
