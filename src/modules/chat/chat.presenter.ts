import type { ChatConversationRow, ChatSettingsRow } from "./chat.repo.ts";
import type { VisitorConversationDto } from "./chat.schemas.ts";

export function presentVisitorConversation(
  conversation: ChatConversationRow,
  expectedReplyAt: Date | null,
): VisitorConversationDto {
  return {
    id: conversation.id,
    replyChannel: conversation.replyChannel,
    identityVerified: conversation.identityVerified,
    name: conversation.visitorName,
    email: conversation.contactEmail,
    expectedReplyAt: conversation.replyChannel === "email" ? (expectedReplyAt?.toISOString() ?? null) : null,
  };
}

export function widgetScriptUrl(publicUrl: string): string {
  return `${publicUrl}/widget.js`;
}

/** The one line a business pastes into its pages. */
export function buildEmbedSnippet(publicUrl: string, widgetKey: string): string {
  return `<script src="${widgetScriptUrl(publicUrl)}" data-tend-key="${widgetKey}" async></script>`;
}

export function presentChatSettings(row: ChatSettingsRow, options: { publicUrl: string; isAdmin: boolean }) {
  return {
    widgetKey: row.widgetKey,
    widgetScriptUrl: widgetScriptUrl(options.publicUrl),
    embedSnippet: buildEmbedSnippet(options.publicUrl, row.widgetKey),
    // The secret signs identities: whoever holds it can chat as any customer, so only admins see it.
    identitySecret: options.isAdmin ? row.identitySecret : null,
    widget: row.widget,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentTicketChat(conversation: ChatConversationRow | null) {
  return {
    conversation: conversation
      ? {
          id: conversation.id,
          status: conversation.status,
          replyChannel: conversation.replyChannel,
          identityVerified: conversation.identityVerified,
          visitorName: conversation.visitorName,
          contactEmail: conversation.contactEmail,
          origin: conversation.origin,
          createdAt: conversation.createdAt.toISOString(),
        }
      : null,
  };
}
