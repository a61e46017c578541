import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
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
export const slaMetricEnum = pgEnum("sla_metric", ["first_response", "next_response", "resolution"]);
export const slaClockStateEnum = pgEnum("sla_clock_state", ["running", "paused", "stopped"]);
export const routingModeEnum = pgEnum("routing_mode", ["manual", "round_robin", "load_balanced"]);
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
    /** Round-robin order: the agent who got work longest ago goes next. */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true }),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const teams = pgTable("teams", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  routingMode: routingModeEnum("routing_mode").notNull().default("load_balanced"),
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
    /** When the current assignee got the ticket (routing hands back unstarted work). */
    assignedAt: timestamp("assigned_at", { withTimezone: true }),
    /** The SLA policy that applies, and the earliest due time among its running clocks (for sorting the inbox). */
    slaPolicyId: integer("sla_policy_id"),
    slaDueAt: timestamp("sla_due_at", { withTimezone: true }),
    slaDueMetric: slaMetricEnum("sla_due_metric"),
    /** Set while an active SLA clock of the ticket is past its target. */
    slaBreachedAt: timestamp("sla_breached_at", { withTimezone: true }),
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
    index("tickets_sla_due_idx").on(t.slaDueAt, t.id).where(sql`${t.slaDueAt} is not null`),
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

// ---------------------------------------------------------------------------------------------------------------
// Service operations: SLAs on business hours

export type WeeklyHoursJson = { day: number; start: string; end: string }[];
export type HolidayJson = { date: string; name?: string }[];

/** Business hours: a time zone, weekly (possibly split or overnight) hours and whole-day holidays. */
export const businessCalendars = pgTable("business_calendars", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  weekly: jsonb("weekly").$type<WeeklyHoursJson>().notNull(),
  holidays: jsonb("holidays").$type<HolidayJson>().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type SlaConditionsJson = {
  priorities?: string[];
  channels?: string[];
  customerTiers?: string[];
  customerTags?: string[];
  teamIds?: number[];
};
export type SlaEscalationJson = {
  raisePriority?: boolean;
  notifyLead?: boolean;
  reassignTeamId?: number | null;
};

/** SLA policies, tried in `position` order; the first whose conditions all match a ticket applies. */
export const slaPolicies = pgTable("sla_policies", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  position: integer("position").notNull().default(0),
  enabled: boolean("enabled").notNull().default(true),
  conditions: jsonb("conditions").$type<SlaConditionsJson>().notNull().default({}),
  firstResponseMinutes: integer("first_response_minutes"),
  nextResponseMinutes: integer("next_response_minutes"),
  resolutionMinutes: integer("resolution_minutes"),
  calendarId: integer("calendar_id")
    .notNull()
    .references(() => businessCalendars.id, { onDelete: "restrict" }),
  /** Share of a target after which a warning fires (0.75 = at 75% of the target). */
  warnShare: doublePrecision("warn_share").notNull().default(0.75),
  escalation: jsonb("escalation").$type<SlaEscalationJson>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One clock per ticket and metric. Business time is accumulated in `elapsed_ms` up to `since` (the start of the
 * running segment); while running, the due time is `since` plus the remaining target in business time.
 */
export const ticketSlaClocks = pgTable(
  "ticket_sla_clocks",
  {
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    metric: slaMetricEnum("metric").notNull(),
    policyId: integer("policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    targetMs: bigint("target_ms", { mode: "number" }),
    state: slaClockStateEnum("state").notNull(),
    cycle: integer("cycle").notNull().default(1),
    elapsedMs: bigint("elapsed_ms", { mode: "number" }).notNull().default(0),
    since: timestamp("since", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    warnAt: timestamp("warn_at", { withTimezone: true }),
    warnedAt: timestamp("warned_at", { withTimezone: true }),
    breachedAt: timestamp("breached_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.ticketId, t.metric] }),
    index("ticket_sla_clocks_due_idx")
      .on(t.dueAt)
      .where(sql`${t.state} = 'running' and ${t.breachedAt} is null`),
    index("ticket_sla_clocks_warn_idx")
      .on(t.warnAt)
      .where(sql`${t.state} = 'running' and ${t.warnedAt} is null`),
  ],
);

/** Completed SLA cycles, with the ticket's dimensions at completion, for reports. */
export const slaMeasurements = pgTable(
  "sla_measurements",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    metric: slaMetricEnum("metric").notNull(),
    cycle: integer("cycle").notNull(),
    policyId: integer("policy_id").references(() => slaPolicies.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }).notNull(),
    businessMs: bigint("business_ms", { mode: "number" }).notNull(),
    targetMs: bigint("target_ms", { mode: "number" }),
    /** Null when the ticket had no target for this metric. */
    met: boolean("met"),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "set null" }),
    assigneeId: integer("assignee_id").references(() => users.id, { onDelete: "set null" }),
    priority: ticketPriorityEnum("priority").notNull(),
    channel: channelEnum("channel").notNull(),
  },
  (t) => [
    uniqueIndex("sla_measurements_cycle_idx").on(t.ticketId, t.metric, t.cycle),
    index("sla_measurements_completed_idx").on(t.completedAt),
  ],
);

/** In-app notifications for agents and leads (SLA warnings and breaches, escalations). */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt.desc())],
);

// ---------------------------------------------------------------------------------------------------------------
// Macros and rules

export type MacroActionsJson = {
  status?: "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
  priority?: "low" | "normal" | "high" | "urgent";
  addTags?: string[];
  removeTags?: string[];
  /** "me" assigns the agent applying the macro; null unassigns. */
  assignee?: number | "me" | null;
  teamId?: number | null;
};

/** Canned responses with variables, and the ticket changes that go with them. */
export const macros = pgTable("macros", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  title: text("title").notNull(),
  body: text("body").notNull().default(""),
  actions: jsonb("actions").$type<MacroActionsJson>().notNull().default({}),
  position: integer("position").notNull().default(100),
  usageCount: integer("usage_count").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ---- Durable job queue (src/jobs) -------------------------------------------------------------------------------

export const jobStatusEnum = pgEnum("job_status", ["queued", "running", "succeeded", "failed", "cancelled"]);

/**
 * One row per job run request. `run_at` is when it may run (from the injected clock, never the database's now());
 * a `running` row belongs to `locked_by` until `locked_until`, after which another worker may take it over.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    payload: jsonb("payload").$type<unknown>().notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    lastError: text("last_error"),
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /** At most one queued or running job per key, e.g. one pending escalation per ticket. */
    singletonKey: text("singleton_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("jobs_claim_idx").on(t.status, t.runAt),
    index("jobs_lease_idx").on(t.lockedUntil).where(sql`${t.status} = 'running'`),
    uniqueIndex("jobs_singleton_key_idx").on(t.singletonKey).where(sql`${t.status} in ('queued', 'running')`),
    index("jobs_finished_idx").on(t.finishedAt).where(sql`${t.status} in ('succeeded', 'cancelled')`),
  ],
);

/** Recurring jobs: each due schedule enqueues one job for its slot and moves `next_run_at` past the clock. */
export const jobSchedules = pgTable(
  "job_schedules",
  {
    name: text("name").primaryKey(),
    jobName: text("job_name").notNull(),
    cronExpression: text("cron_expression").notNull(),
    timeZone: text("time_zone").notNull().default("UTC"),
    payload: jsonb("payload").$type<unknown>().notNull().default({}),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull(),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
  },
  (t) => [index("job_schedules_due_idx").on(t.nextRunAt).where(sql`${t.enabled}`)],
);

export type RuleEvent = "ticket.created" | "message.received" | "ticket.status_changed" | "sla.warning";
export type RuleConditionJson = { field: string; operator: string; value?: unknown };
export type RuleActionJson = { type: string; [key: string]: unknown };

/** Automation: when one of `events` happens and the conditions hold, the actions run (in `position` order). */
export const rules = pgTable("rules", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  position: integer("position").notNull().default(100),
  events: text("events").array().$type<RuleEvent[]>().notNull(),
  conditions: jsonb("conditions")
    .$type<{ all: RuleConditionJson[]; any: RuleConditionJson[] }>()
    .notNull()
    .default({ all: [], any: [] }),
  actions: jsonb("actions").$type<RuleActionJson[]>().notNull(),
  fireCount: integer("fire_count").notNull().default(0),
  lastFiredAt: timestamp("last_fired_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

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

// ---- Surveys, follow-ups and recovery (src/modules/surveys) -----------------------------------------------------

/** What a send asks: the resolution survey (CSAT or CES), relationship NPS, a purchase check-in, or an admin's own. */
export const surveyKindEnum = pgEnum("survey_kind", ["csat", "ces", "nps", "check_in", "custom"]);
/** The score a send's first question measures, for reports; null for check-ins and custom surveys without one. */
export const surveyMetricEnum = pgEnum("survey_metric", ["csat", "ces", "nps"]);
export const surveyChannelEnum = pgEnum("survey_channel", ["email", "chat", "api"]);
/**
 * queued → sending → sent for mail (chat and API sends are `sent` at once); `skipped` when the rules said no
 * (opt-out, contact budget, no address), `failed` when the mail server refused it for good.
 */
export const surveySendStatusEnum = pgEnum("survey_send_status", [
  "queued",
  "sending",
  "sent",
  "skipped",
  "failed",
]);
/** What a customer can opt out of: surveys (CSAT, CES, NPS, custom) and follow-ups (purchase check-ins). */
export const contactPurposeEnum = pgEnum("contact_purpose", ["surveys", "follow_ups"]);
export const recoveryStatusEnum = pgEnum("recovery_status", ["open", "done"]);
export const recoveryOutcomeEnum = pgEnum("recovery_outcome", ["recovered", "not_recovered", "unreachable"]);

/** One question of a survey. Scales: csat 1-5, ces 1-7, nps 0-10, yes_no 1 (yes) or 0 (no). */
export type SurveyQuestionJson =
  | { id: string; type: "csat"; prompt: string; style: "faces" | "stars" }
  | { id: string; type: "ces" | "nps" | "yes_no"; prompt: string }
  | { id: string; type: "text"; prompt: string; required: boolean }
  | { id: string; type: "choice"; prompt: string; options: string[]; required: boolean };

/** The survey settings an admin edits (validated by surveySettingsSchema in the surveys module). */
export type SurveySettingsJson = Record<string, unknown>;

/**
 * Survey settings: one row, created on first use. `tokenSecret` signs the links in survey mails (HMAC-SHA256);
 * it never leaves the server.
 */
export const surveySettings = pgTable("survey_settings", {
  id: integer("id").primaryKey().default(1),
  tokenSecret: text("token_secret").notNull(),
  settings: jsonb("settings").$type<SurveySettingsJson>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Surveys of several questions that admins define and send through the API. */
export const surveyDefinitions = pgTable("survey_definitions", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull(),
  questions: jsonb("questions").$type<SurveyQuestionJson[]>().notNull(),
  purpose: contactPurposeEnum("purpose").notNull().default("surveys"),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * One survey or follow-up sent (or deliberately not sent) to one customer. The questions are a snapshot, so later
 * wording changes do not alter what was asked; agent, team and channel are the ticket's at the time, for reports.
 */
export const surveySends = pgTable(
  "survey_sends",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    kind: surveyKindEnum("kind").notNull(),
    metric: surveyMetricEnum("metric"),
    purpose: contactPurposeEnum("purpose").notNull(),
    definitionId: integer("definition_id").references(() => surveyDefinitions.id, { onDelete: "set null" }),
    channel: surveyChannelEnum("channel").notNull(),
    status: surveySendStatusEnum("status").notNull(),
    skipReason: text("skip_reason"),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    orderId: integer("order_id").references(() => orders.id, { onDelete: "set null" }),
    questions: jsonb("questions").$type<SurveyQuestionJson[]>().notNull(),
    agentId: integer("agent_id").references(() => users.id, { onDelete: "set null" }),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "set null" }),
    ticketChannel: channelEnum("ticket_channel"),
    recipientEmail: text("recipient_email"),
    recipientName: text("recipient_name"),
    /** Subject and Reply-To of the mail, fixed when the send is created (a CSAT mail answers into its ticket). */
    mailSubject: text("mail_subject"),
    /** What the survey is about, in the customer's words: the ticket's subject or the order's number. */
    mailAbout: text("mail_about"),
    replyTo: text("reply_to"),
    /** RFC 5322 Message-ID (no brackets): every attempt sends the same one, so a repeated mail is recognisable. */
    mailMessageId: text("mail_message_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** End of the response window; links answer "closed" after it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    index("survey_sends_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("survey_sends_ticket_idx").on(t.ticketId).where(sql`${t.ticketId} is not null`),
    uniqueIndex("survey_sends_mail_message_id_idx").on(t.mailMessageId),
    // One check-in per order, and one end-of-chat prompt per chat ticket, even when two processes race.
    uniqueIndex("survey_sends_order_kind_idx").on(t.orderId, t.kind).where(sql`${t.orderId} is not null`),
    uniqueIndex("survey_sends_chat_ticket_idx").on(t.ticketId).where(sql`${t.channel} = 'chat'`),
  ],
);

/** The one answer to a send: the first question's score, every answer, and the customer's comment. */
export const surveyResponses = pgTable(
  "survey_responses",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    sendId: integer("send_id")
      .notNull()
      .references(() => surveySends.id, { onDelete: "cascade" }),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    metric: surveyMetricEnum("metric"),
    score: integer("score"),
    answers: jsonb("answers").$type<Record<string, string | number>>().notNull().default({}),
    comment: text("comment"),
    /** Where the answer came from: the response page, the chat widget or the API. */
    source: text("source").notNull(),
    /** The ticket this answer opened (a check-in that reported a problem). */
    openedTicketId: integer("opened_ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    respondedAt: timestamp("responded_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("survey_responses_send_idx").on(t.sendId),
    index("survey_responses_metric_idx").on(t.metric, t.respondedAt),
    index("survey_responses_customer_idx").on(t.customerId, t.respondedAt.desc()),
  ],
);

/** A customer's "no more of these": surveys, follow-ups, or both (two rows). */
export const contactOptOuts = pgTable(
  "contact_opt_outs",
  {
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    purpose: contactPurposeEnum("purpose").notNull(),
    /** How it was recorded: the unsubscribe page, a one-click List-Unsubscribe POST, or an agent. */
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.purpose] })],
);

/**
 * Closing the loop: a low score became a task for the team lead, on a ticket (the reopened one, or a new follow-up
 * ticket), due within its own business-hours target. The lead records the outcome.
 */
export const surveyRecoveries = pgTable(
  "survey_recoveries",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    responseId: integer("response_id")
      .notNull()
      .references(() => surveyResponses.id, { onDelete: "cascade" }),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    ownerUserId: integer("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    status: recoveryStatusEnum("status").notNull().default("open"),
    /** How the ticket was used: reopened, or a new follow-up ticket for the lead. */
    action: text("action").notNull(),
    metric: surveyMetricEnum("metric"),
    score: integer("score"),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    outcome: recoveryOutcomeEnum("outcome"),
    outcomeNote: text("outcome_note"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedByUserId: integer("resolved_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("survey_recoveries_response_idx").on(t.responseId),
    index("survey_recoveries_status_idx").on(t.status, t.dueAt),
    index("survey_recoveries_customer_idx").on(t.customerId),
  ],
);
