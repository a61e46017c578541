import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// One schema for PGlite and PostgreSQL. Times are timestamptz (UTC in storage); money is integer minor units.

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const roleEnum = pgEnum("role", ["agent", "lead", "admin"]);
export const agentStatusEnum = pgEnum("agent_status", ["online", "away", "offline"]);
export const ticketStatusEnum = pgEnum("ticket_status", [
  "new",
  "open",
  "pending",
  "on_hold",
  "solved",
  "closed",
]);
export const ticketPriorityEnum = pgEnum("ticket_priority", ["low", "normal", "high", "urgent"]);
export const channelEnum = pgEnum("channel", ["email", "chat", "phone", "sms", "social", "web", "api"]);
export const identityKindEnum = pgEnum("identity_kind", ["email", "phone", "chat", "external", "social"]);
export const directionEnum = pgEnum("message_direction", ["inbound", "outbound"]);
export const deliveryStatusEnum = pgEnum("delivery_status", [
  "received",
  "queued",
  "sending",
  "sent",
  "failed",
]);
export const orderStatusEnum = pgEnum("order_status", [
  "placed",
  "paid",
  "fulfilled",
  "delivered",
  "cancelled",
  "refunded",
]);
export const inboundStateEnum = pgEnum("inbound_state", ["stored", "processed", "failed"]);

/** The business this installation serves: one row. */
export const workspace = pgTable("workspace", {
  id: integer("id").primaryKey().default(1),
  name: text("name").notNull(),
  supportAddress: text("support_address").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  isDemo: boolean("is_demo").notNull().default(false),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("agent"),
    passwordHash: text("password_hash"),
    status: agentStatusEnum("status").notNull().default("offline"),
    capacity: integer("capacity").notNull().default(10),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const teams = pgTable("teams", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  createdAt: createdAt(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** Browser sessions; only the SHA-256 of the cookie value is stored. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** API tokens carry a role; only the SHA-256 of the token is stored. */
export const apiTokens = pgTable("api_tokens", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  role: roleEnum("role").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  createdByUserId: integer("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  createdAt: createdAt(),
});

export const organizations = pgTable("organizations", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  domain: text("domain"),
  createdAt: createdAt(),
});

export const customers = pgTable(
  "customers",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name"),
    organizationId: integer("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    tier: text("tier"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("customers_org_idx").on(t.organizationId),
    index("customers_created_idx").on(t.createdAt.desc(), t.id.desc()),
  ],
);

/** Ways to recognise a customer: email addresses, phone numbers, chat visitor ids, external ids. Values are normalised. */
export const customerIdentities = pgTable(
  "customer_identities",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    kind: identityKindEnum("kind").notNull(),
    value: text("value").notNull(),
    isPrimary: boolean("is_primary").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customer_identities_kind_value_idx").on(t.kind, t.value),
    index("customer_identities_customer_idx").on(t.customerId),
  ],
);

export const tickets = pgTable(
  "tickets",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    subject: text("subject").notNull(),
    status: ticketStatusEnum("status").notNull().default("new"),
    priority: ticketPriorityEnum("priority").notNull().default("normal"),
    channel: channelEnum("channel").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    assigneeId: integer("assignee_id").references(() => users.id, { onDelete: "set null" }),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    /** Secret token in the reply address (support+t<id>-<token>@domain) that threads replies without headers. */
    replyToken: text("reply_token").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull().defaultNow(),
    lastCustomerMessageAt: timestamp("last_customer_message_at", { withTimezone: true }),
    solvedAt: timestamp("solved_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("tickets_status_updated_idx").on(t.status, t.updatedAt.desc(), t.id.desc()),
    index("tickets_assignee_status_idx").on(t.assigneeId, t.status, t.updatedAt.desc()),
    index("tickets_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("tickets_updated_idx").on(t.updatedAt.desc(), t.id.desc()),
    index("tickets_team_idx").on(t.teamId),
    // Inbox keyset pagination: (last_message_at desc, id desc), alone or after status / assignee filters.
    index("tickets_last_message_idx").on(t.lastMessageAt.desc(), t.id.desc()),
    index("tickets_status_last_message_idx").on(t.status, t.lastMessageAt.desc(), t.id.desc()),
    index("tickets_assignee_last_message_idx").on(t.assigneeId, t.lastMessageAt.desc(), t.id.desc()),
    index("tickets_customer_channel_idx").on(t.customerId, t.channel, t.lastMessageAt.desc()),
  ],
);

export type MailAddress = { name?: string; address: string };

export const messages = pgTable(
  "messages",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    direction: directionEnum("direction").notNull(),
    isInternal: boolean("is_internal").notNull().default(false),
    channel: channelEnum("channel").notNull(),
    authorUserId: integer("author_user_id").references(() => users.id, { onDelete: "set null" }),
    authorCustomerId: integer("author_customer_id").references(() => customers.id, { onDelete: "set null" }),
    /** Plain-text body (for search, previews and replies). */
    text: text("text").notNull().default(""),
    /** HTML body, already sanitised; never the raw HTML of a mail. */
    html: text("html"),
    /** RFC 5322 Message-ID without angle brackets; unique so a re-delivered mail is stored once. */
    mailMessageId: text("mail_message_id"),
    inReplyTo: text("in_reply_to"),
    references: text("references").array().notNull().default(sql`'{}'::text[]`),
    fromAddress: jsonb("from_address").$type<MailAddress | null>(),
    toAddresses: jsonb("to_addresses").$type<MailAddress[]>().notNull().default([]),
    ccAddresses: jsonb("cc_addresses").$type<MailAddress[]>().notNull().default([]),
    mailSubject: text("mail_subject"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** Outlook conversation (hex of the first 22 bytes of Thread-Index): threads replies whose In-Reply-To Outlook rewrote. */
    mailConversation: text("mail_conversation"),
    /** Auto-replies, bounces and other machine mail: recorded, never answered. */
    isAutomated: boolean("is_automated").notNull().default(false),
    deliveryStatus: deliveryStatusEnum("delivery_status").notNull(),
    deliveryAttempts: integer("delivery_attempts").notNull().default(0),
    deliveryError: text("delivery_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** The id a phone, SMS or social provider gave the message; unique per channel so a retried POST is stored once. */
    externalMessageId: text("external_message_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_channel_external_id_idx").on(t.channel, t.externalMessageId),
    index("messages_ticket_idx").on(t.ticketId, t.createdAt, t.id),
    uniqueIndex("messages_mail_message_id_idx").on(t.mailMessageId),
    index("messages_mail_conversation_idx")
      .on(t.mailConversation)
      .where(sql`${t.mailConversation} is not null`),
    index("messages_outbox_idx").on(t.nextAttemptAt).where(sql`${t.deliveryStatus} in ('queued', 'sending')`),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    messageId: integer("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    contentId: text("content_id"),
    inline: boolean("inline").notNull().default(false),
    content: bytea("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_message_idx").on(t.messageId)],
);

/**
 * Every mail accepted over SMTP or fetched over IMAP, stored raw in the same transaction that acknowledges it,
 * so nothing acknowledged is lost even when parsing or threading fails later.
 */
export const inboundMails = pgTable(
  "inbound_mails",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    source: text("source").notNull(),
    envelopeFrom: text("envelope_from"),
    envelopeTo: text("envelope_to").array().notNull().default(sql`'{}'::text[]`),
    raw: bytea("raw").notNull(),
    size: integer("size").notNull(),
    state: inboundStateEnum("state").notNull().default("stored"),
    error: text("error"),
    messageId: integer("message_id").references(() => messages.id, { onDelete: "set null" }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("inbound_mails_state_idx").on(t.state, t.id)],
);

/** IMAP mailboxes polled as a second mail intake. */
export const imapMailboxes = pgTable("imap_mailboxes", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  host: text("host").notNull(),
  port: integer("port").notNull().default(993),
  secure: boolean("secure").notNull().default(true),
  username: text("username").notNull(),
  password: text("password").notNull(),
  mailbox: text("mailbox").notNull().default("INBOX"),
  uidValidity: text("uid_validity"),
  lastUid: integer("last_uid").notNull().default(0),
  enabled: boolean("enabled").notNull().default(true),
  lastPolledAt: timestamp("last_polled_at", { withTimezone: true }),
  lastError: text("last_error"),
  createdAt: createdAt(),
});

export type OrderItem = { sku?: string; name: string; quantity: number; unitAmountMinor: number };

export const orders = pgTable(
  "orders",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    externalId: text("external_id").unique(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    items: jsonb("items").$type<OrderItem[]>().notNull().default([]),
    status: orderStatusEnum("status").notNull().default("placed"),
    createdAt: createdAt(),
  },
  (t) => [
    index("orders_customer_idx").on(t.customerId, t.placedAt),
    index("orders_placed_idx").on(t.placedAt),
  ],
);

/** One timeline of everything that happened to a customer. */
export const timelineEvents = pgTable(
  "timeline_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    kind: text("kind").notNull(),
    summary: text("summary").notNull(),
    actorUserId: integer("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("timeline_customer_idx").on(t.customerId, t.occurredAt.desc())],
);

// ---- Live chat (src/modules/chat) ------------------------------------------------------------------------------

export const chatConversationStatusEnum = pgEnum("chat_conversation_status", ["active", "closed"]);
/** How agents' replies reach the visitor: live in the widget, or by email once nobody was online to chat. */
export const chatReplyChannelEnum = pgEnum("chat_reply_channel", ["chat", "email"]);

export type ChatPrechatField = { enabled: boolean; required: boolean };
/** What the business configures for its widget (admin settings). */
export type ChatWidgetSettings = {
  prechat: { name: ChatPrechatField; email: ChatPrechatField; question: ChatPrechatField };
  greeting: string;
  offlineMessage: string;
  /** Pages allowed to embed the widget (origins like https://shop.example); empty = any site. */
  allowedOrigins: string[];
};

/**
 * The widget's settings: one row. `widgetKey` is public (in the embed snippet); `identitySecret` signs visitors'
 * emails on the business's server (HMAC-SHA256), so it is shown to admins only and never leaves the API otherwise.
 */
export const chatSettings = pgTable("chat_settings", {
  id: integer("id").primaryKey().default(1),
  widgetKey: text("widget_key").notNull(),
  identitySecret: text("identity_secret").notNull(),
  widget: jsonb("widget").$type<ChatWidgetSettings>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One visitor's chat from the widget. The visitor holds a random token; only its SHA-256 is stored, and it opens
 * this conversation and nothing else. The customer and ticket come with the first message.
 */
export const chatConversations = pgTable(
  "chat_conversations",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    visitorTokenHash: text("visitor_token_hash").notNull(),
    /** Random id the widget keeps across conversations, so a returning anonymous visitor is one customer. */
    visitorId: text("visitor_id").notNull(),
    status: chatConversationStatusEnum("status").notNull().default("active"),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    /** True when the business signed the visitor's email (HMAC); only then is the customer found by that email. */
    identityVerified: boolean("identity_verified").notNull().default(false),
    visitorName: text("visitor_name"),
    /** Where to send email replies: the signed email, or what the visitor typed (contact info, never identity). */
    contactEmail: text("contact_email"),
    replyChannel: chatReplyChannelEnum("reply_channel").notNull().default("chat"),
    prechat: jsonb("prechat").$type<Record<string, string>>().notNull().default({}),
    /** The page origin the chat started from, for agents' context. */
    origin: text("origin"),
    createdAt: createdAt(),
    lastVisitorActivityAt: timestamp("last_visitor_activity_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("chat_conversations_token_idx").on(t.visitorTokenHash),
    index("chat_conversations_ticket_idx").on(t.ticketId),
    index("chat_conversations_visitor_idx").on(t.visitorId),
  ],
);
