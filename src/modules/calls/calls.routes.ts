import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { actorUserId } from "../../http/auth.ts";
import { logCall } from "../../workflows/log-call.workflow.ts";
import { presentMessage } from "../tickets/tickets.presenter.ts";
import { messageSchema } from "../tickets/tickets.schemas.ts";
import { getMessageWithAuthor } from "../tickets/tickets-inbox.service.ts";
import { logCallBodySchema } from "./calls.schemas.ts";

/** Phone calls logged on tickets. */
export async function registerCallRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.post(
    "/api/v1/tickets/:id/calls",
    {
      config: { access: "agent" },
      schema: {
        tags: ["tickets"],
        summary: "Log a phone call on a ticket (direction, duration, outcome, notes)",
        params: idParams,
        body: logCallBodySchema,
        response: { 201: messageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const message = await logCall(ctx, {
        ...request.body,
        ticketId: request.params.id,
        agentUserId: actorUserId(request),
      });
      return reply.code(201).send(presentMessage(await getMessageWithAuthor(ctx, message.id)));
    },
  );
}
