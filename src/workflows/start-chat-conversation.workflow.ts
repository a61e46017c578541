import type { AppContext } from "../context.ts";
import { AppError, notFound, validationFailed } from "../errors.ts";
import {
  areAgentsAvailable,
  type ChatConversationRow,
  createConversation,
  expectedReplyAt,
  type VisitorMessage,
} from "../modules/chat/chat.service.ts";
import {
  generateVisitorId,
  generateVisitorToken,
  hashVisitorToken,
  isValidVisitorSignature,
} from "../modules/chat/chat-identity.ts";
import { getChatSettings, isOriginAllowed } from "../modules/chat/chat-settings.service.ts";
import { normalizeEmail } from "../modules/customers/identities.ts";
import { getTicketRow } from "../modules/tickets/tickets.service.ts";
import { recordVisitorChatMessage } from "./record-chat-message.workflow.ts";

export type StartChatInput = {
  widgetKey: string;
  /** The Origin header of the page the widget runs on. */
  origin: string | null;
  /** The widget's id from an earlier conversation, so a returning anonymous visitor stays one customer. */
  visitorId?: string;
  name?: string;
  email?: string;
  question?: string;
  /** From `TendChat.identify()`: the business's server signed this email; ignored unless the signature holds. */
  identity?: { email: string; name?: string; signature: string };
};

export type StartChatResult = {
  conversation: ChatConversationRow;
  /** The conversation's secret: returned once, stored only as a hash. */
  visitorToken: string;
  agentsOnline: boolean;
  expectedReplyAt: Date | null;
  firstMessage: VisitorMessage | null;
};

/**
 * Starts a visitor's chat from the widget's pre-chat form. Checks the widget key and the page's origin, accepts the
 * identity only with a valid HMAC (else the visitor is anonymous and the email in it is not used at all), enforces
 * the required pre-chat fields, and with nobody online turns the chat into an email conversation, which needs an
 * email address. The question, when given, becomes the first message.
 */
export async function startChatConversation(
  ctx: AppContext,
  input: StartChatInput,
): Promise<StartChatResult> {
  const settings = await getChatSettings(ctx);
  if (input.widgetKey !== settings.widgetKey) throw notFound("Chat widget", input.widgetKey);
  if (!isOriginAllowed(settings.widget, input.origin)) {
    throw new AppError("forbidden", "This site is not allowed to use the chat widget");
  }
  const identity =
    input.identity &&
    isValidVisitorSignature(settings.identitySecret, input.identity.email, input.identity.signature)
      ? input.identity
      : null;
  const name = input.name?.trim() || identity?.name?.trim() || null;
  const email = identity ? normalizeEmail(identity.email) : input.email ? normalizeEmail(input.email) : null;
  const question = input.question?.trim() || null;
  const prechat = settings.widget.prechat;
  const given = { name, email, question };
  for (const field of ["name", "email", "question"] as const) {
    if (prechat[field].enabled && prechat[field].required && !given[field]) {
      throw validationFailed(`Please fill in your ${field}`, { path: `body.${field}` });
    }
  }
  const agentsOnline = await areAgentsAvailable(ctx);
  if (!agentsOnline && !email) {
    throw validationFailed("Nobody is online to chat; leave your email address and we'll reply by email", {
      path: "body.email",
      reason: "offline_email_required",
    });
  }
  const visitorToken = generateVisitorToken();
  const prechatAnswers: Record<string, string> = {};
  if (input.name?.trim()) prechatAnswers.name = input.name.trim();
  if (input.email?.trim()) prechatAnswers.email = input.email.trim();
  let conversation = await createConversation(ctx, {
    visitorTokenHash: hashVisitorToken(visitorToken),
    visitorId: input.visitorId ?? generateVisitorId(),
    identityVerified: identity !== null,
    visitorName: name,
    contactEmail: email,
    replyChannel: agentsOnline ? "chat" : "email",
    prechat: prechatAnswers,
    origin: input.origin,
  });
  let firstMessage: VisitorMessage | null = null;
  if (question) {
    const recorded = await recordVisitorChatMessage(ctx, { conversationId: conversation.id, text: question });
    conversation = recorded.conversation;
    firstMessage = {
      id: recorded.message.id,
      from: "visitor",
      authorName: name ?? "You",
      text: recorded.message.text,
      createdAt: recorded.message.createdAt.toISOString(),
    };
  }
  const ticket = conversation.ticketId !== null ? await getTicketRow(ctx, conversation.ticketId) : null;
  return {
    conversation,
    visitorToken,
    agentsOnline,
    expectedReplyAt: agentsOnline ? null : await expectedReplyAt(ctx, ticket),
    firstMessage,
  };
}
