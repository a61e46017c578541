import { z } from "zod";
import { bodyIdSchema } from "../../http/api-common.schemas.ts";
import { channelSchema, ticketPrioritySchema } from "../tickets/tickets.schemas.ts";
import { slaMetricSchema } from "./sla-state.schemas.ts";

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "HH:MM, 00:00 to 24:00");

export const calendarBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  timezone: z.string().min(1).max(100).describe("IANA time zone, e.g. Europe/London"),
  weekly: z
    .array(
      z.strictObject({
        day: z.number().int().min(1).max(7).describe("ISO weekday, 1 = Monday"),
        start: clockTime,
        end: clockTime,
      }),
    )
    .min(1)
    .max(100)
    .describe("Open hours; several per day for split days; end at or before start runs overnight"),
  holidays: z
    .array(z.strictObject({ date: z.iso.date(), name: z.string().max(200).optional() }))
    .max(1000)
    .default([]),
});

export const calendarSchema = z.object({
  id: z.number(),
  name: z.string(),
  timezone: z.string(),
  weekly: z.array(z.object({ day: z.number(), start: z.string(), end: z.string() })),
  holidays: z.array(z.object({ date: z.string(), name: z.string().optional() })),
  description: z.string(),
  updatedAt: z.string(),
});

const minutesTarget = z.number().int().min(1).max(525_600).nullable();

export const policyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(1_000_000).default(100),
  enabled: z.boolean().default(true),
  conditions: z
    .strictObject({
      priorities: z.array(ticketPrioritySchema).max(4).optional(),
      channels: z.array(channelSchema).max(10).optional(),
      customerTiers: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
      customerTags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
      teamIds: z.array(bodyIdSchema).max(100).optional(),
    })
    .default({}),
  firstResponseMinutes: minutesTarget.default(null),
  nextResponseMinutes: minutesTarget.default(null),
  resolutionMinutes: minutesTarget.default(null),
  calendarId: bodyIdSchema,
  warnShare: z.number().gt(0).lt(1).default(0.75),
  escalation: z
    .strictObject({
      raisePriority: z.boolean().optional(),
      notifyLead: z.boolean().optional(),
      reassignTeamId: bodyIdSchema.nullable().optional(),
    })
    .default({}),
});

export const policySchema = z.object({
  id: z.number(),
  name: z.string(),
  position: z.number(),
  enabled: z.boolean(),
  conditions: z.object({
    priorities: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
    customerTiers: z.array(z.string()).optional(),
    customerTags: z.array(z.string()).optional(),
    teamIds: z.array(z.number()).optional(),
  }),
  firstResponseMinutes: z.number().nullable(),
  nextResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  calendarId: z.number(),
  warnShare: z.number(),
  escalation: z.object({
    raisePriority: z.boolean().optional(),
    notifyLead: z.boolean().optional(),
    reassignTeamId: z.number().nullable().optional(),
  }),
  updatedAt: z.string(),
});

export const slaReportQuerySchema = z.object({
  from: z.iso.date().optional().describe("First day (inclusive); default 30 days ago"),
  to: z.iso.date().optional().describe("Last day (inclusive); default today"),
  groupBy: z.enum(["team", "agent", "priority", "channel", "period", "none"]).default("none"),
  period: z.enum(["day", "week", "month"]).default("week"),
});

export const slaReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  groupBy: z.string(),
  rows: z.array(
    z.object({
      group: z.object({ key: z.string().nullable(), label: z.string().nullable() }),
      metric: slaMetricSchema,
      completed: z.number(),
      withTarget: z.number(),
      met: z.number(),
      metShare: z.number().nullable(),
      medianMinutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
    }),
  ),
});
