// For the `websocket: true` route option; app.ts registers the plugin.
import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { recordVisitorChatMessage } from "../../workflows/record-chat-message.workflow.ts";
import { startChatConversation } from "../../workflows/start-chat-conversation.workflow.ts";
import { offerEndOfChatSurvey } from "../../workflows/survey-follow-up.workflow.ts";
import { getTicketRow } from "../tickets/tickets.service.ts";
import { presentVisitorConversation } from "./chat.presenter.ts";
import {
  closeConversationResponseSchema,
  startConversationBodySchema,
  startConversationResponseSchema,
  visitorConversationResponseSchema,
  visitorEmailBodySchema,
  visitorMessageSchema,
  visitorSendBodySchema,
  widgetConfigSchema,
} from "./chat.schemas.ts";
import {
  areAgentsAvailable,
  type ChatConversationRow,
  closeConversation,
  expectedReplyAt,
  findVisitorMessage,
  listVisitorMessages,
  requireVisitorConversation,
  switchConversationToEmail,
} from "./chat.service.ts";
import { getChatSettings, isOriginAllowed } from "./chat-settings.service.ts";
import { createChatSocketHub, type VisitorSocket } from "./chat-socket-hub.ts";

export const visitorTokenHeader = "x-tend-visitor-token";
export const visitorApiPrefix = "/api/v1/chat/visitor";

/** Per client address; the store is per process (see registerAuth). */
export const chatRateLimits = {
  config: { max: 120, timeWindowMs: 60_000 },
  start: { max: 20, timeWindowMs: 10 * 60_000 },
  send: { max: 60, timeWindowMs: 60_000 },
  socket: { max: 60, timeWindowMs: 60_000 },
};

const tags = ["chat (visitor)"];

function rateLimit(name: keyof typeof chatRateLimits) {
  const limit = chatRateLimits[name];
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (request: FastifyRequest) => `chat-${name}:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new AppError("rate_limited", `Too many requests; try again in ${context.after}`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  };
}

function visitorToken(request: FastifyRequest): string | undefined {
  const value = request.headers[visitorTokenHeader];
  return typeof value === "string" ? value : undefined;
}

/**
 * The widget's API: public (no session, no CSRF: nothing here rides on cookies), callable from any page (CORS `*`
 * without credentials), rate-limited per address. A conversation's routes need its visitor token in the
 * x-tend-visitor-token header and answer 404 for any other conversation id. The WebSocket at /socket carries the
 * live chat (see chat-socket-hub.ts for its frames).
 */
export async function registerChatVisitorRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const hub = createChatSocketHub(ctx, { onError: (error) => app.log.error({ err: error }, "chat socket") });
  app.addHook("onClose", async () => hub.close());

  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith(`${visitorApiPrefix}/`)) {
      reply.header("access-control-allow-origin", "*");
      reply.header("cache-control", "no-store");
    }
  });

  app.options(
    `${visitorApiPrefix}/*`,
    { config: { access: "public" }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .status(204)
        .header("access-control-allow-methods", "GET, POST")
        .header("access-control-allow-headers", `content-type, ${visitorTokenHeader}`)
        .header("access-control-max-age", "600")
        .send(),
  );

  const presentWithExpectation = async (conversation: ChatConversationRow) => {
    const ticket = conversation.ticketId !== null ? await getTicketRow(ctx, conversation.ticketId) : null;
    const expected = conversation.replyChannel === "email" ? await expectedReplyAt(ctx, ticket) : null;
    return presentVisitorConversation(conversation, expected);
  };

  app.get(
    `${visitorApiPrefix}/config`,
    {
      config: { access: "public", rateLimit: rateLimit("config") },
      schema: {
        tags,
        summary: "The widget's pre-chat form, greeting and offline message, and whether an agent is online",
        querystring: z.object({ key: z.string().min(1).max(100) }),
        response: { 200: widgetConfigSchema, ...errorResponses },
      },
    },
    async (request) => {
      const settings = await getChatSettings(ctx);
      if (request.query.key !== settings.widgetKey)
        throw new AppError("not_found", "Unknown chat widget key");
      if (!isOriginAllowed(settings.widget, request.headers.origin)) {
        throw new AppError("forbidden", "This site is not allowed to use the chat widget");
      }
      return {
        greeting: settings.widget.greeting,
        offlineMessage: settings.widget.offlineMessage,
        prechat: settings.widget.prechat,
        agentsOnline: await areAgentsAvailable(ctx),
      };
    },
  );

  app.post(
    `${visitorApiPrefix}/conversations`,
    {
      config: { access: "public", rateLimit: rateLimit("start") },
      schema: {
        tags,
        summary:
          "Start a chat from the pre-chat form. Returns the conversation and its visitor token (shown once). " +
          "An identity counts only with a valid HMAC-SHA256 signature of its email; otherwise it is ignored.",
        body: startConversationBodySchema,
        response: { 201: startConversationResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { key, ...rest } = request.body;
      const result = await startChatConversation(ctx, {
        ...rest,
        widgetKey: key,
        origin: request.headers.origin ?? null,
      });
      return reply.status(201).send({
        conversation: presentVisitorConversation(result.conversation, result.expectedReplyAt),
        visitorToken: result.visitorToken,
        visitorId: result.conversation.visitorId,
        agentsOnline: result.agentsOnline,
        messages: result.firstMessage ? [result.firstMessage] : [],
      });
    },
  );

  app.get(
    `${visitorApiPrefix}/conversations/:id`,
    {
      config: { access: "public", rateLimit: rateLimit("send") },
      schema: {
        tags,
        summary: "The visitor's own conversation and its messages (needs its token)",
        params: idParams,
        response: { 200: visitorConversationResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await requireVisitorConversation(ctx, visitorToken(request), request.params.id);
      return {
        conversation: await presentWithExpectation(conversation),
        agentsOnline: await areAgentsAvailable(ctx),
        messages: await listVisitorMessages(ctx, conversation),
      };
    },
  );

  app.post(
    `${visitorApiPrefix}/conversations/:id/messages`,
    {
      config: { access: "public", rateLimit: rateLimit("send") },
      schema: {
        tags,
        summary: "Send a message without the WebSocket (the widget's fallback)",
        params: idParams,
        body: visitorSendBodySchema,
        response: { 201: visitorMessageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const conversation = await requireVisitorConversation(ctx, visitorToken(request), request.params.id);
      const recorded = await recordVisitorChatMessage(ctx, {
        conversationId: conversation.id,
        text: request.body.text,
      });
      const message = await findVisitorMessage(ctx, recorded.message.ticketId, recorded.message.id);
      if (!message) throw new Error("a visitor's own message is not visible to them");
      return reply.status(201).send(message);
    },
  );

  app.post(
    `${visitorApiPrefix}/conversations/:id/email`,
    {
      config: { access: "public", rateLimit: rateLimit("send") },
      schema: {
        tags,
        summary:
          "Ask for replies by email (nobody online, or the visitor cannot wait); needs an email address",
        params: idParams,
        body: visitorEmailBodySchema,
        response: { 200: visitorConversationResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const found = await requireVisitorConversation(ctx, visitorToken(request), request.params.id);
      const conversation = await switchConversationToEmail(ctx, found, request.body.email);
      return {
        conversation: await presentWithExpectation(conversation),
        agentsOnline: await areAgentsAvailable(ctx),
        messages: await listVisitorMessages(ctx, conversation),
      };
    },
  );

  app.post(
    `${visitorApiPrefix}/conversations/:id/close`,
    {
      config: { access: "public", rateLimit: rateLimit("send") },
      schema: {
        tags,
        summary:
          "End the chat: its token stops working (the ticket stays with the agents). Returns the end-of-chat " +
          "survey to show, if any, answered through /api/v1/surveys/public/{token}",
        params: idParams,
        response: { 200: closeConversationResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await requireVisitorConversation(ctx, visitorToken(request), request.params.id);
      await closeConversation(ctx, conversation);
      return { ok: true as const, survey: await offerEndOfChatSurvey(ctx, conversation) };
    },
  );

  app.get(
    `${visitorApiPrefix}/socket`,
    {
      websocket: true,
      config: { access: "public", rateLimit: rateLimit("socket") },
      schema: { hide: true },
      preHandler: async (request) => {
        const settings = await getChatSettings(ctx);
        if (!isOriginAllowed(settings.widget, request.headers.origin)) {
          throw new AppError("forbidden", "This site is not allowed to use the chat widget");
        }
      },
    },
    (socket: VisitorSocket) => hub.accept(socket),
  );
}
