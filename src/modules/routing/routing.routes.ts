import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { withTransaction } from "../../db/transaction.ts";
import { forbidden } from "../../errors.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { actorUserId, meUserId, requirePrincipal } from "../../http/auth.ts";
import { hasRole } from "../users/users.service.ts";
import { getTeamLoads, setAgentCapacity, setAgentStatus, setTeamRoutingMode } from "./routing.service.ts";

const agentStatusSchema = z.enum(["online", "away", "offline"]);
const routingModeSchema = z.enum(["manual", "round_robin", "load_balanced"]);

export const teamLoadSchema = z.object({
  id: z.number(),
  name: z.string(),
  routingMode: routingModeSchema,
  waiting: z.number().describe("Unassigned open tickets in the team's queue"),
  agents: z.array(
    z.object({
      userId: z.number(),
      name: z.string(),
      role: z.enum(["agent", "lead", "admin"]),
      status: agentStatusSchema,
      capacity: z.number(),
      load: z.number().describe("Assigned tickets that are new or open"),
      unstarted: z.number().describe("Assigned tickets still new (no reply yet)"),
      lastAssignedAt: z.string().nullable(),
    }),
  ),
});

const routingResultSchema = z.object({
  released: z.array(z.number()).describe("Unstarted tickets handed back"),
  assigned: z.array(z.object({ ticketId: z.number(), userId: z.number() })),
});

/** Availability, capacity and routing modes; leads see every agent's load. */
export async function registerRoutingRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const tags = ["routing"];

  app.get(
    "/api/v1/routing/teams",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Each team's routing mode, waiting queue and every agent's status, capacity and load",
        response: { 200: z.object({ items: z.array(teamLoadSchema) }), ...errorResponses },
      },
    },
    async () => ({
      items: (await getTeamLoads(ctx)).map((team) => ({
        ...team,
        agents: team.agents.map((agent) => ({
          ...agent,
          lastAssignedAt: agent.lastAssignedAt?.toISOString() ?? null,
        })),
      })),
    }),
  );

  app.put(
    "/api/v1/routing/teams/:id",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Set a team's routing: manual, round_robin or load_balanced",
        params: idParams,
        body: z.strictObject({ routingMode: routingModeSchema }),
        response: { 200: routingResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const assigned = await withTransaction(ctx, (tx) =>
        setTeamRoutingMode(tx, request.params.id, request.body.routingMode),
      );
      return { released: [], assigned };
    },
  );

  app.patch(
    "/api/v1/me/status",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary:
          "Set the signed-in agent's availability: online (gets routed work; live chat is offered to visitors), away (keeps work, gets no new) or offline (unstarted work is handed back)",
        body: z.strictObject({ status: agentStatusSchema }),
        response: {
          200: routingResultSchema.extend({ id: z.number(), status: agentStatusSchema }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const userId = actorUserId(request);
      if (userId === null) throw forbidden("API tokens act as no agent; sign in to set a status");
      const result = await withTransaction(ctx, (tx) => setAgentStatus(tx, userId, request.body.status));
      return {
        id: userId,
        status: request.body.status,
        released: result.released,
        assigned: result.assignments,
      };
    },
  );

  app.put(
    "/api/v1/routing/agents/:id",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary:
          "Set an agent's status (online, away, offline) or capacity. Agents may set their own status; leads anyone's, and capacities",
        params: idParams,
        body: z
          .strictObject({
            status: agentStatusSchema.optional(),
            capacity: z.number().int().min(0).max(1000).optional(),
          })
          .refine((body) => body.status !== undefined || body.capacity !== undefined, {
            message: "give status or capacity",
          }),
        response: { 200: routingResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const isSelf = meUserId(request) === request.params.id;
      const isLead = hasRole(principal.role, "lead");
      if (request.body.capacity !== undefined && !isLead) throw forbidden("Only leads change capacities");
      if (!isSelf && !isLead) throw forbidden("Agents set only their own status");
      return withTransaction(ctx, async (tx) => {
        const result = { released: [] as number[], assigned: [] as { ticketId: number; userId: number }[] };
        if (request.body.capacity !== undefined) {
          result.assigned.push(...(await setAgentCapacity(tx, request.params.id, request.body.capacity)));
        }
        if (request.body.status !== undefined) {
          const changed = await setAgentStatus(tx, request.params.id, request.body.status);
          result.released.push(...changed.released);
          result.assigned.push(...changed.assignments);
        }
        return result;
      });
    },
  );
}
