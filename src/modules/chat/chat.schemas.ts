import { z } from "zod";

// Shapes of the live chat's HTTP API and WebSocket frames (one source for validation, types and OpenAPI).

const prechatFieldSchema = z.strictObject({ enabled: z.boolean(), required: z.boolean() });

const originSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[^/\s?#]+\/?$/i, "an origin such as https://shop.example (scheme and host, no path)");

export const chatWidgetSettingsSchema = z
  .strictObject({
    prechat: z.strictObject({
      name: prechatFieldSchema,
      email: prechatFieldSchema,
      question: prechatFieldSchema,
    }),
    greeting: z.string().trim().max(500),
    offlineMessage: z.string().trim().min(1).max(1000),
    allowedOrigins: z.array(originSchema).max(50),
  })
  .refine((s) => Object.values(s.prechat).every((field) => field.enabled || !field.required), {
    message: "a field that is not shown cannot be required",
    path: ["prechat"],
  });

/** What the widget needs before the visitor types anything. Public. */
export const widgetConfigSchema = z.object({
  greeting: z.string(),
  offlineMessage: z.string(),
  prechat: z.object({
    name: prechatFieldSchema,
    email: prechatFieldSchema,
    question: prechatFieldSchema,
  }),
  agentsOnline: z.boolean(),
});

export const startConversationBodySchema = z.strictObject({
  key: z.string().trim().min(1).max(100),
  visitorId: z
    .string()
    .regex(/^v_[A-Za-z0-9_-]{16,64}$/)
    .optional(),
  name: z.string().trim().max(200).optional(),
  email: z.email().max(320).optional(),
  question: z.string().trim().max(5000).optional(),
  identity: z
    .strictObject({
      email: z.string().trim().min(3).max(320),
      name: z.string().trim().max(200).optional(),
      signature: z.string().trim().max(200),
    })
    .optional(),
});

export const visitorMessageSchema = z.object({
  id: z.number(),
  from: z.enum(["visitor", "agent"]),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
});

export const visitorConversationSchema = z.object({
  id: z.number(),
  replyChannel: z.enum(["chat", "email"]),
  identityVerified: z.boolean(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** When an email reply can be expected (ISO time), or null for "as soon as we can". */
  expectedReplyAt: z.string().nullable(),
});

export const startConversationResponseSchema = z.object({
  conversation: visitorConversationSchema,
  visitorToken: z.string(),
  visitorId: z.string(),
  agentsOnline: z.boolean(),
  messages: z.array(visitorMessageSchema),
});

export const visitorConversationResponseSchema = z.object({
  conversation: visitorConversationSchema,
  agentsOnline: z.boolean(),
  messages: z.array(visitorMessageSchema),
});

export const visitorSendBodySchema = z.strictObject({ text: z.string().trim().min(1).max(5000) });
export const visitorEmailBodySchema = z.strictObject({ email: z.email().max(320).optional() });

/** What the widget sends over the WebSocket. */
export const clientFrameSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("hello"), token: z.string().min(1).max(200) }),
  z.strictObject({
    type: z.literal("message"),
    text: z.string().trim().min(1).max(5000),
    clientId: z.string().max(64),
  }),
  z.strictObject({ type: z.literal("typing"), isTyping: z.boolean() }),
  z.strictObject({ type: z.literal("email"), email: z.email().max(320).optional() }),
  z.strictObject({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type VisitorConversationDto = z.infer<typeof visitorConversationSchema>;
export type VisitorMessageDto = z.infer<typeof visitorMessageSchema>;

/** The satisfaction question the widget asks when a chat ends; answered through the public surveys API by token. */
export const chatSurveyPromptSchema = z.object({
  token: z.string(),
  question: z.object({
    type: z.string(),
    prompt: z.string(),
    points: z.array(z.object({ value: z.number(), label: z.string(), symbol: z.string() })),
  }),
  commentPrompt: z.string().nullable(),
});
export type ChatSurveyPromptDto = z.infer<typeof chatSurveyPromptSchema>;

export const closeConversationResponseSchema = z.object({
  ok: z.literal(true),
  /** The end-of-chat survey, or null when there is nothing to ask. */
  survey: chatSurveyPromptSchema.nullable(),
});

/** What the server sends over the WebSocket. */
export type ServerFrame =
  | {
      type: "ready";
      conversation: VisitorConversationDto;
      messages: VisitorMessageDto[];
      agentsOnline: boolean;
    }
  | { type: "message"; message: VisitorMessageDto; clientId?: string }
  | { type: "typing"; isTyping: boolean; name: string | null }
  | { type: "availability"; agentsOnline: boolean }
  | { type: "conversation"; conversation: VisitorConversationDto }
  | { type: "ended"; message: string; survey?: ChatSurveyPromptDto | null }
  | { type: "error"; code: string; message: string; clientId?: string }
  | { type: "pong" };

/** For agents and admins: the snippet, the form settings and (admins only) the identity secret. */
export const chatSettingsResponseSchema = z.object({
  widgetKey: z.string(),
  widgetScriptUrl: z.string(),
  embedSnippet: z.string(),
  identitySecret: z.string().nullable(),
  widget: chatWidgetSettingsSchema,
  updatedAt: z.string(),
});

export const ticketChatSchema = z.object({
  conversation: z
    .object({
      id: z.number(),
      status: z.enum(["active", "closed"]),
      replyChannel: z.enum(["chat", "email"]),
      identityVerified: z.boolean(),
      visitorName: z.string().nullable(),
      contactEmail: z.string().nullable(),
      origin: z.string().nullable(),
      createdAt: z.string(),
    })
    .nullable(),
});

export const typingBodySchema = z.strictObject({ isTyping: z.boolean() });
