import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { errorResponses } from "../../http/api-common.schemas.ts";
import { actorUserId } from "../../http/auth.ts";
import { recordChannelMessage } from "../../workflows/record-channel-message.workflow.ts";
import { channelMessageBodySchema, channelMessageResponseSchema } from "./messages.schemas.ts";

/** Calls, texts, social and API messages from integrations; email arrives over SMTP/IMAP instead. */
export async function registerMessageRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.post(
    "/api/v1/messages",
    {
      config: { access: "agent" },
      schema: {
        tags: ["messages"],
        summary:
          "Record a phone call, SMS, social or API message: joins the customer's open ticket on that channel or opens one. " +
          "Repeating an externalMessageId returns the first message with 200.",
        body: channelMessageBodySchema,
        response: { 200: channelMessageResponseSchema, 201: channelMessageResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await recordChannelMessage(ctx, { ...request.body, authorUserId: actorUserId(request) });
      return reply
        .status(result.created ? 201 : 200)
        .send({ ticketId: result.ticketId, messageId: result.messageId, customerId: result.customerId });
    },
  );
}
