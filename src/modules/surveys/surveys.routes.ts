import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { notFound } from "../../errors.ts";
import { encodeCursor, errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { actorUserId } from "../../http/auth.ts";
import { requestSurvey } from "../../workflows/survey-follow-up.workflow.ts";
import { recordRecoveryOutcome } from "../../workflows/survey-recovery.workflow.ts";
import { customerExists } from "../customers/customer-profile.service.ts";
import { getSurveyReport, listSurveyResponses } from "./survey-reports.service.ts";
import {
  presentDefinition,
  presentRecovery,
  presentReport,
  presentResponse,
  presentSend,
} from "./surveys.presenter.ts";
import {
  consentBodySchema,
  consentSchema,
  createSendBodySchema,
  recoveryListQuerySchema,
  recoveryOutcomeBodySchema,
  recoverySchema,
  recoverySummaryQuerySchema,
  recoverySummarySchema,
  reportQuerySchema,
  reportSchema,
  responseListQuerySchema,
  sendListQuerySchema,
  surveyDefinitionBodySchema,
  surveyDefinitionSchema,
  surveyResponseItemSchema,
  surveySendSchema,
  surveySettingsSchema,
} from "./surveys.schemas.ts";
import {
  createSurveyDefinition,
  findSendResponse,
  getContactConsent,
  getRecoverySummary,
  getSurveyConfig,
  getSurveySettings,
  listRecoveries,
  listSurveyDefinitions,
  listSurveySends,
  sendAnswerState,
  setContactConsent,
  surveyLink,
  updateSurveyDefinition,
  updateSurveySettings,
} from "./surveys.service.ts";

const tags = ["surveys"];
const dayMs = 86_400_000;

/** Survey settings and definitions (admins), sends and consent (agents), reports and recoveries (leads). */
export async function registerSurveyRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/surveys/settings",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Survey and follow-up settings: delays, cadence, contact budget, wording, recovery",
        response: { 200: surveySettingsSchema, ...errorResponses },
      },
    },
    async () => getSurveySettings(ctx),
  );

  app.put(
    "/api/v1/surveys/settings",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Replace the survey settings (missing fields take their defaults)",
        body: surveySettingsSchema,
        response: { 200: surveySettingsSchema, ...errorResponses },
      },
    },
    async (request) => updateSurveySettings(ctx, request.body),
  );

  app.get(
    "/api/v1/surveys/definitions",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Surveys of several questions",
        response: { 200: z.object({ items: z.array(surveyDefinitionSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listSurveyDefinitions(ctx)).map(presentDefinition) }),
  );

  app.post(
    "/api/v1/surveys/definitions",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Define a survey of several questions (csat, ces, nps, yes_no, text, choice)",
        body: surveyDefinitionBodySchema,
        response: { 201: surveyDefinitionSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentDefinition(await createSurveyDefinition(ctx, request.body))),
  );

  app.put(
    "/api/v1/surveys/definitions/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Change a survey (sends already made keep the questions they asked)",
        params: idParams,
        body: surveyDefinitionBodySchema,
        response: { 200: surveyDefinitionSchema, ...errorResponses },
      },
    },
    async (request) => presentDefinition(await updateSurveyDefinition(ctx, request.params.id, request.body)),
  );

  const linkFor = async (send: Parameters<typeof presentSend>[0]) => {
    if (send.channel !== "api") return null;
    const response = await findSendResponse(ctx, send.id);
    if (sendAnswerState(send, response, ctx.clock.now()) === "closed") return null;
    return surveyLink(ctx.config, (await getSurveyConfig(ctx)).secret, "respond", send.id);
  };

  app.post(
    "/api/v1/surveys/sends",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary:
          "Send a survey to a customer: by email (opt-outs and the contact budget apply; a refused send is stored " +
          "as skipped with the reason) or on the api channel, which returns the response link to show yourself",
        body: createSendBodySchema,
        response: { 201: surveySendSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const send = await requestSurvey(ctx, request.body);
      return reply.status(201).send(presentSend(send, null, await linkFor(send)));
    },
  );

  app.get(
    "/api/v1/surveys/sends",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Survey and follow-up sends, newest first, with their answers",
        querystring: sendListQuerySchema,
        response: {
          200: z.object({ items: z.array(surveySendSchema), nextBeforeId: z.number().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await listSurveySends(ctx, request.query);
      const items = [];
      for (const row of rows) items.push(presentSend(row.send, row.response, await linkFor(row.send)));
      const last = rows[rows.length - 1];
      return { items, nextBeforeId: rows.length === request.query.limit && last ? last.send.id : null };
    },
  );

  app.get(
    "/api/v1/customers/:id/contact-consent",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Whether the customer agrees to surveys and to follow-ups",
        params: idParams,
        response: { 200: consentSchema, ...errorResponses },
      },
    },
    async (request) => {
      if (!(await customerExists(ctx, request.params.id))) throw notFound("Customer", request.params.id);
      return { customerId: request.params.id, ...(await getContactConsent(ctx, request.params.id)) };
    },
  );

  app.put(
    "/api/v1/customers/:id/contact-consent",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Record the customer's wish about surveys and follow-ups (false = opted out)",
        params: idParams,
        body: consentBodySchema,
        response: { 200: consentSchema, ...errorResponses },
      },
    },
    async (request) => {
      if (!(await customerExists(ctx, request.params.id))) throw notFound("Customer", request.params.id);
      const consent = await setContactConsent(ctx, request.params.id, request.body, actorUserId(request));
      return { customerId: request.params.id, ...consent };
    },
  );

  app.get(
    "/api/v1/surveys/reports",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "CSAT (share of 4-5), NPS (promoters − detractors) or CES (mean) by agent, team or channel, per period, with the trend",
        querystring: reportQuerySchema,
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query;
      const report = await getSurveyReport(ctx, {
        ...rest,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      });
      return presentReport(report);
    },
  );

  app.get(
    "/api/v1/surveys/responses",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Answers and the comments behind the numbers, newest first",
        querystring: responseListQuerySchema,
        response: {
          200: z.object({ items: z.array(surveyResponseItemSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const { rows, next } = await listSurveyResponses(ctx, {
        metric: q.metric,
        agentId: q.agentId,
        teamId: q.teamId,
        channel: q.channel,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        maxScore: q.maxScore,
        withComment: q.withComment === undefined ? undefined : q.withComment === "true",
        after: q.cursor,
        limit: q.limit,
      });
      return {
        items: rows.map(presentResponse),
        nextCursor: next ? encodeCursor(next.atMicros, next.id) : null,
      };
    },
  );

  app.get(
    "/api/v1/surveys/recoveries",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary:
          "Recoveries of low scores (the recover view's tasks), newest first, with due times and outcomes",
        querystring: recoveryListQuerySchema,
        response: {
          200: z.object({ items: z.array(recoverySchema), nextBeforeId: z.number().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await listRecoveries(ctx, request.query);
      const now = ctx.clock.now();
      const last = rows[rows.length - 1];
      return {
        items: rows.map((row) => presentRecovery(row, now)),
        nextBeforeId: rows.length === request.query.limit && last ? last.recovery.id : null,
      };
    },
  );

  app.get(
    "/api/v1/surveys/recoveries/summary",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Open and overdue recoveries, outcomes, and how many recovered customers bought again",
        querystring: recoverySummaryQuerySchema,
        response: { 200: recoverySummarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const to = request.query.to ? new Date(request.query.to) : ctx.clock.now();
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 365 * dayMs);
      return getRecoverySummary(ctx, { from, to });
    },
  );

  app.post(
    "/api/v1/surveys/recoveries/:id/outcome",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Record how the recovery went; the ticket leaves the recover view",
        params: idParams,
        body: recoveryOutcomeBodySchema,
        response: { 200: recoverySchema, ...errorResponses },
      },
    },
    async (request) => {
      const done = await recordRecoveryOutcome(ctx, request.params.id, request.body, actorUserId(request));
      const [row] = await listRecoveries(ctx, { ids: [done.id], limit: 1 });
      return presentRecovery(row, ctx.clock.now());
    },
  );
}
