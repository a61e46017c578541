import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { withTransaction } from "../../db/transaction.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { reapplySlaPolicies } from "../../workflows/sla-reapply.workflow.ts";
import { getWorkspaceTimezone } from "../workspace/workspace.service.ts";
import { describeCalendar } from "./business-hours.ts";
import {
  calendarBodySchema,
  calendarSchema,
  policyBodySchema,
  policySchema,
  slaReportQuerySchema,
  slaReportSchema,
} from "./sla.schemas.ts";
import {
  type CalendarRow,
  calendarFromRow,
  createCalendar,
  createPolicy,
  deleteCalendar,
  deletePolicy,
  getSlaReport,
  listCalendars,
  listPolicies,
  type PolicyRow,
  updateCalendar,
  updatePolicy,
} from "./sla.service.ts";

function presentCalendar(row: CalendarRow): z.infer<typeof calendarSchema> {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    weekly: row.weekly,
    holidays: row.holidays,
    description: describeCalendar(calendarFromRow(row)),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function presentPolicy(row: PolicyRow): z.infer<typeof policySchema> {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    enabled: row.enabled,
    conditions: row.conditions,
    firstResponseMinutes: row.firstResponseMinutes,
    nextResponseMinutes: row.nextResponseMinutes,
    resolutionMinutes: row.resolutionMinutes,
    calendarId: row.calendarId,
    warnShare: row.warnShare,
    escalation: row.escalation,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const day = 86_400_000;

/**
 * SLA calendars and policies (anyone may read them, admins change them) and the SLA report (leads). An edit
 * re-applies the policies to every ticket whose clocks are still going.
 */
export async function registerSlaRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const tags = ["sla"];

  app.get(
    "/api/v1/sla/calendars",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Business-hours calendars",
        response: { 200: z.object({ items: z.array(calendarSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listCalendars(ctx)).map(presentCalendar) }),
  );

  app.post(
    "/api/v1/sla/calendars",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a business-hours calendar",
        body: calendarBodySchema,
        response: { 201: calendarSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(presentCalendar(await createCalendar(ctx, request.body))),
  );

  app.put(
    "/api/v1/sla/calendars/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Replace a calendar's hours and holidays (due times of open tickets are recomputed)",
        params: idParams,
        body: calendarBodySchema,
        response: { 200: calendarSchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await updateCalendar(ctx, request.params.id, request.body);
      await reapplySlaPolicies(ctx);
      return presentCalendar(row);
    },
  );

  app.delete(
    "/api/v1/sla/calendars/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a calendar no policy uses",
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteCalendar(ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/sla/policies",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "SLA policies in the order they are tried",
        response: { 200: z.object({ items: z.array(policySchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listPolicies(ctx)).map(presentPolicy) }),
  );

  app.post(
    "/api/v1/sla/policies",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create an SLA policy",
        body: policyBodySchema,
        response: { 201: policySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createPolicy(ctx, request.body);
      await reapplySlaPolicies(ctx);
      return reply.code(201).send(presentPolicy(row));
    },
  );

  app.put(
    "/api/v1/sla/policies/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Replace an SLA policy (open tickets are re-evaluated)",
        params: idParams,
        body: policyBodySchema,
        response: { 200: policySchema, ...errorResponses },
      },
    },
    async (request) => {
      const row = await updatePolicy(ctx, request.params.id, request.body);
      await reapplySlaPolicies(ctx);
      return presentPolicy(row);
    },
  );

  app.delete(
    "/api/v1/sla/policies/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete an SLA policy (open tickets fall to the next matching one)",
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await withTransaction(ctx, (tx) => deletePolicy(tx, request.params.id));
      await reapplySlaPolicies(ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/sla/report",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "Share of SLA targets met, median and 90th-percentile business times, by team, agent, priority, channel or period",
        querystring: slaReportQuerySchema,
        response: { 200: slaReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const timezone = await getWorkspaceTimezone(ctx);
      const today = ctx.clock.now().toISOString().slice(0, 10);
      const toDay = request.query.to ?? today;
      const fromDay = request.query.from ?? new Date(Date.parse(toDay) - 29 * day).toISOString().slice(0, 10);
      const rows = await getSlaReport(ctx, {
        from: new Date(`${fromDay}T00:00:00Z`),
        to: new Date(Date.parse(`${toDay}T00:00:00Z`) + day),
        groupBy: request.query.groupBy,
        period: request.query.period,
        timezone,
      });
      return { from: fromDay, to: toDay, timezone, groupBy: request.query.groupBy, rows };
    },
  );
}
