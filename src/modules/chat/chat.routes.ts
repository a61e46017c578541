import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { requirePrincipal } from "../../http/auth.ts";
import { getTicketRow } from "../tickets/tickets.service.ts";
import { hasRole } from "../users/users.service.ts";
import { presentChatSettings, presentTicketChat } from "./chat.presenter.ts";
import {
  chatSettingsResponseSchema,
  chatWidgetSettingsSchema,
  ticketChatSchema,
  typingBodySchema,
} from "./chat.schemas.ts";
import { agentDisplayName, findConversationForTicket } from "./chat.service.ts";
import {
  getChatSettings,
  rotateChatIdentitySecret,
  updateChatWidgetSettings,
} from "./chat-settings.service.ts";
import { registerChatWidgetScript } from "./chat-widget.routes.ts";

/**
 * The agents' side of live chat: the widget settings (everyone sees the snippet; admins see the identity secret and
 * edit), the conversation behind a chat ticket, and the agent's typing indicator. Also serves /widget.js.
 */
export async function registerChatRoutes(base: FastifyInstance, options: { widgetScriptFile?: string } = {}) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  await registerChatWidgetScript(app, { file: options.widgetScriptFile });

  const present = async (isAdmin: boolean) =>
    presentChatSettings(await getChatSettings(ctx), { publicUrl: ctx.config.publicUrl, isAdmin });

  app.get(
    "/api/v1/chat/settings",
    {
      config: { access: "agent" },
      schema: {
        tags: ["chat"],
        summary: "The widget's embed snippet and settings; the identity secret is only in admins' answers",
        response: { 200: chatSettingsResponseSchema, ...errorResponses },
      },
    },
    async (request) => present(hasRole(requirePrincipal(request).role, "admin")),
  );

  app.put(
    "/api/v1/chat/settings",
    {
      config: { access: "admin" },
      schema: {
        tags: ["chat"],
        summary: "Replace the pre-chat form, greeting, offline message and allowed sites (admin)",
        body: z.strictObject({ widget: chatWidgetSettingsSchema }),
        response: { 200: chatSettingsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      await updateChatWidgetSettings(ctx, request.body.widget);
      return present(true);
    },
  );

  app.post(
    "/api/v1/chat/settings/identity-secret",
    {
      config: { access: "admin" },
      schema: {
        tags: ["chat"],
        summary: "Make a new identity secret; signatures made with the old one stop working at once (admin)",
        response: { 200: chatSettingsResponseSchema, ...errorResponses },
      },
    },
    async () => {
      await rotateChatIdentitySecret(ctx);
      return present(true);
    },
  );

  app.get(
    "/api/v1/tickets/:id/chat",
    {
      config: { access: "agent" },
      schema: {
        tags: ["chat"],
        summary: "The live-chat conversation behind a ticket (null for tickets not from the widget)",
        params: idParams,
        response: { 200: ticketChatSchema, ...errorResponses },
      },
    },
    async (request) => {
      await getTicketRow(ctx, request.params.id);
      return presentTicketChat(await findConversationForTicket(ctx, request.params.id));
    },
  );

  app.post(
    "/api/v1/tickets/:id/typing",
    {
      config: { access: "agent" },
      schema: {
        tags: ["chat"],
        summary:
          "Tell the chat visitor this agent is typing (send every few seconds while typing, and false when done)",
        params: idParams,
        body: typingBodySchema,
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (principal.kind !== "session") {
        throw new AppError("forbidden", "Only a signed-in agent types; API tokens cannot");
      }
      const conversation = await findConversationForTicket(ctx, request.params.id);
      if (!conversation) throw new AppError("not_found", `Ticket ${request.params.id} has no live chat`);
      ctx.events.publish({
        type: "chat.typing",
        ticketId: request.params.id,
        conversationId: conversation.id,
        from: "agent",
        isTyping: request.body.isTyping,
        name: agentDisplayName(principal.user.name),
      });
      return { ok: true as const };
    },
  );
}
