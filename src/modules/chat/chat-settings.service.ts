import type { ServiceContext } from "../../context.ts";
import type { ChatWidgetSettings } from "../../db/schema.ts";
import {
  type ChatSettingsRow,
  insertChatSettingsIfMissing,
  selectChatSettings,
  updateChatSettingsRow,
} from "./chat.repo.ts";
import { generateIdentitySecret, generateWidgetKey } from "./chat-identity.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export const defaultChatWidgetSettings: ChatWidgetSettings = {
  prechat: {
    name: { enabled: true, required: false },
    email: { enabled: true, required: false },
    question: { enabled: true, required: true },
  },
  greeting: "Hi! How can we help you today?",
  offlineMessage:
    "Nobody is here to chat right now. Leave your email and your question, and we'll reply by email.",
  allowedOrigins: [],
};

/** The widget's settings; the first call creates them with a fresh widget key and identity secret. */
export async function getChatSettings(ctx: Ctx): Promise<ChatSettingsRow> {
  const existing = await selectChatSettings(ctx.db);
  if (existing) return { ...existing, widget: withDefaults(existing.widget) };
  await insertChatSettingsIfMissing(ctx.db, {
    widgetKey: generateWidgetKey(),
    identitySecret: generateIdentitySecret(),
    widget: defaultChatWidgetSettings,
    now: ctx.clock.now(),
  });
  const created = await selectChatSettings(ctx.db);
  if (!created) throw new Error("chat settings vanished right after being created");
  return created;
}

/** Replaces the widget settings (pre-chat form, greeting, offline message, allowed sites). */
export async function updateChatWidgetSettings(
  ctx: Ctx,
  widget: ChatWidgetSettings,
): Promise<ChatSettingsRow> {
  await getChatSettings(ctx);
  const allowedOrigins = [...new Set(widget.allowedOrigins.map(normalizeOrigin))];
  return updateChatSettingsRow(ctx.db, { widget: { ...widget, allowedOrigins }, updatedAt: ctx.clock.now() });
}

/** A new identity secret: signatures made with the old one stop identifying visitors at once. */
export async function rotateChatIdentitySecret(ctx: Ctx): Promise<ChatSettingsRow> {
  await getChatSettings(ctx);
  return updateChatSettingsRow(ctx.db, {
    identitySecret: generateIdentitySecret(),
    updatedAt: ctx.clock.now(),
  });
}

export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, "");
}

/** Whether a page on `origin` may use the widget: any site when the list is empty, else only those listed. */
export function isOriginAllowed(widget: ChatWidgetSettings, origin: string | null | undefined): boolean {
  if (widget.allowedOrigins.length === 0) return true;
  if (!origin) return false;
  return widget.allowedOrigins.includes(normalizeOrigin(origin));
}

// Settings saved by an older version may lack newer fields.
function withDefaults(widget: Partial<ChatWidgetSettings>): ChatWidgetSettings {
  return {
    ...defaultChatWidgetSettings,
    ...widget,
    prechat: { ...defaultChatWidgetSettings.prechat, ...widget.prechat },
    allowedOrigins: widget.allowedOrigins ?? [],
  };
}
