import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/api-common.schemas.ts";
import { presentThemes } from "./insights.presenter.ts";
import { themesQuerySchema, themesResponseSchema } from "./insights.schemas.ts";
import { getThemes } from "./themes.service.ts";

const tags = ["insights"];
const dayMs = 86_400_000;

/** A date is a whole UTC day: as a start it is its midnight, as an end the next midnight. */
function startOf(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
function endOf(value: string): Date {
  const start = startOf(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(start.getTime() + dayMs) : start;
}

export async function registerInsightRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/insights/themes",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary:
          "What customers are saying: recurring phrases in survey comments and customers' messages, this period against the one before, with verbatims",
        querystring: themesQuerySchema,
        response: { 200: themesResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      const to = query.to ? endOf(query.to) : ctx.clock.now();
      const from = query.from ? startOf(query.from) : new Date(to.getTime() - 30 * dayMs);
      return presentThemes(
        await getThemes(ctx, {
          from,
          to,
          source: query.source,
          limit: query.limit,
          examples: query.examples,
        }),
      );
    },
  );
}
