import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { ruleActionSchema, ruleConditionsSchema, ruleEventSchema } from "./rule-conditions.ts";
import { createRule, deleteRule, listRules, type RuleRow, updateRule } from "./rules.service.ts";

export const ruleBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().default(true),
  position: z.number().int().min(0).max(1_000_000).default(100),
  events: z.array(ruleEventSchema).min(1).max(4),
  conditions: ruleConditionsSchema.default({ all: [], any: [] }),
  actions: z.array(ruleActionSchema).min(1).max(20),
});

export const ruleSchema = ruleBodySchema.extend({
  id: z.number(),
  fireCount: z.number(),
  lastFiredAt: z.string().nullable(),
  updatedAt: z.string(),
});

function presentRule(row: RuleRow): z.infer<typeof ruleSchema> {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    events: row.events,
    conditions: ruleConditionsSchema.parse(row.conditions),
    actions: z.array(ruleActionSchema).parse(row.actions),
    fireCount: row.fireCount,
    lastFiredAt: row.lastFiredAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Automation rules: leads read them, admins change them (a rule can reassign or answer any ticket). */
export async function registerRuleRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const tags = ["rules"];

  app.get(
    "/api/v1/rules",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Automation rules in the order they run",
        response: { 200: z.object({ items: z.array(ruleSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listRules(ctx)).map(presentRule) }),
  );

  app.post(
    "/api/v1/rules",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Create a rule: when one of its events happens and its conditions hold, its actions run",
        body: ruleBodySchema,
        response: { 201: ruleSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(presentRule(await createRule(ctx, request.body))),
  );

  app.put(
    "/api/v1/rules/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Replace a rule",
        params: idParams,
        body: ruleBodySchema,
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (request) => presentRule(await updateRule(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/api/v1/rules/:id",
    {
      config: { access: "admin" },
      schema: {
        tags,
        summary: "Delete a rule",
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteRule(ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
