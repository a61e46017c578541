import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses } from "../../http/api-common.schemas.ts";
import { sendCsv } from "../../http/csv-reply.ts";
import {
  retentionCohortsQuerySchema,
  retentionCohortsSchema,
  retentionLtvSchema,
  retentionPurchasesSchema,
  retentionRatesQuerySchema,
  retentionRatesSchema,
  retentionRfmQuerySchema,
  retentionRfmSchema,
  retentionSummaryQuerySchema,
  retentionSummarySchema,
} from "./retention.schemas.ts";
import {
  loadWorkspacePurchases,
  measureCohorts,
  measureLifetimeValue,
  measurePurchases,
  measureRetentionRates,
  measureWorkspaceRfm,
  summarizeRetention,
} from "./retention-measures.service.ts";
import {
  cohortsTable,
  lifetimeValueTable,
  purchasesTable,
  ratesTable,
  rfmTable,
  summaryTable,
  type Table,
} from "./retention-tables.ts";

const tags = ["retention"];
const csvResponse = z.string().describe("With ?format=csv: the main table as text/csv");

function sendTable(reply: FastifyReply, table: Table) {
  return sendCsv(
    reply,
    `${table.name}.csv`,
    table.header.map((header, i) => ({ header, value: (row: Table["rows"][number]) => row[i] })),
    table.rows,
  );
}

const day = (text: string | undefined) => (text === undefined ? undefined : new Date(`${text}T00:00:00Z`));

/** Retention measures over the workspace's orders, for leads and admins; each table also as CSV. */
export async function registerRetentionRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/retention/summary",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "Headline retention numbers: last complete month and quarter, repeat rate, lifetime value, segments",
        querystring: retentionSummaryQuerySchema,
        response: { 200: z.union([retentionSummarySchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const summary = summarizeRetention(await loadWorkspacePurchases(ctx, request.query));
      return request.query.format === "csv" ? sendTable(reply, summaryTable(summary)) : summary;
    },
  );

  app.get(
    "/api/v1/retention/rates",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Customer retention and churn, gross and net revenue retention, per month or quarter",
        querystring: retentionRatesQuerySchema,
        response: { 200: z.union([retentionRatesSchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const report = measureRetentionRates(await loadWorkspacePurchases(ctx, query), {
        period: query.period,
        from: day(query.from),
        to: day(query.to),
      });
      return query.format === "csv" ? sendTable(reply, ratesTable(report)) : report;
    },
  );

  app.get(
    "/api/v1/retention/cohorts",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Cohort retention matrix by first-purchase month (counts and shares)",
        querystring: retentionCohortsQuerySchema,
        response: { 200: z.union([retentionCohortsSchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const report = measureCohorts(await loadWorkspacePurchases(ctx, query), {
        from: day(query.from),
        to: day(query.to),
      });
      return query.format === "csv" ? sendTable(reply, cohortsTable(report)) : report;
    },
  );

  app.get(
    "/api/v1/retention/rfm",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "RFM segments with customers and revenue; with ?segment= that segment's customers",
        querystring: retentionRfmQuerySchema,
        response: { 200: z.union([retentionRfmSchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await measureWorkspaceRfm(ctx, request.query);
      if (request.query.format === "csv") return sendTable(reply, rfmTable(report));
      return {
        ...report,
        customers: report.customers?.map((c) => ({ ...c, customerId: Number(c.customerId) })) ?? null,
      };
    },
  );

  app.get(
    "/api/v1/retention/ltv",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Historical lifetime value: distribution and by first-purchase month",
        querystring: retentionSummaryQuerySchema,
        response: { 200: z.union([retentionLtvSchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = measureLifetimeValue(await loadWorkspacePurchases(ctx, request.query));
      return request.query.format === "csv" ? sendTable(reply, lifetimeValueTable(report)) : report;
    },
  );

  app.get(
    "/api/v1/retention/purchases",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Repeat purchase rate and time between purchases",
        querystring: retentionSummaryQuerySchema,
        response: { 200: z.union([retentionPurchasesSchema, csvResponse]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = measurePurchases(await loadWorkspacePurchases(ctx, request.query));
      return request.query.format === "csv" ? sendTable(reply, purchasesTable(report)) : report;
    },
  );
}
