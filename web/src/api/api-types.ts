// Hand-written mirror of the HTTP API contract (src/modules/*/*.schemas.ts are the source of truth;
// web/src/api/api-types.contract.test.ts proves these stay assignable from the server's zod types).

export type Role = "agent" | "lead" | "admin";
export type TicketStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
export type TicketPriority = "low" | "normal" | "high" | "urgent";
export type Channel = "email" | "chat" | "phone" | "sms" | "social" | "web" | "api";
export type TicketView =
  | "mine"
  | "unassigned"
  | "open"
  | "pending"
  | "solved"
  | "all"
  | "breaching"
  | "recover"
  | "value_at_risk"
  | "frustrated";
export type DeliveryStatus = "received" | "queued" | "sending" | "sent" | "failed";

export type PublicUser = { id: number; email: string; name: string; role: Role };
export type SessionInfo = { user: PublicUser; csrfToken: string };

export type TicketSummary = {
  id: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Channel;
  customer: { id: number; name: string; email: string | null };
  assignee: { id: number; name: string } | null;
  team: { id: number; name: string } | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  preview: string;
  /** The customer's churn risk and predicted 12-month value (null until scored). */
  customerRisk: {
    score: number;
    band: "low" | "medium" | "high";
    predictedValueMinor: number | null;
    valueAtRiskMinor: number | null;
    currency: string | null;
  } | null;
  /** How frustrated the customer sounds (null when never scored, or cleared after an agent's reply). */
  frustration: Frustration | null;
  sla: TicketSla;
};

/** A frustration score (0..1), its level and the cues behind it ("threatens to cancel or leave", ...). */
export type Frustration = { score: number; level: "none" | "mild" | "high"; cues: string[] };

export type SlaMetric = "first_response" | "next_response" | "resolution";

/** One SLA clock of a ticket: its target, due time and state (times are business minutes). */
export type SlaTargetState = {
  metric: SlaMetric;
  targetMinutes: number | null;
  dueAt: string | null;
  paused: boolean;
  breached: boolean;
  breachedAt: string | null;
  completedAt: string | null;
  elapsedMinutes: number;
  remainingMinutes: number | null;
  warning: boolean;
  cycle: number;
};

export type TicketSla = {
  policyId: number | null;
  dueAt: string | null;
  dueMetric: SlaMetric | null;
  breached: boolean;
  warning: boolean;
  targets: SlaTargetState[];
};

/** Where a search matched; `html` is escaped text whose only markup is <mark>…</mark> (render via parseHighlight). */
export type SearchSnippet =
  | { source: "subject"; html: string }
  | {
      source: "message";
      messageId: number;
      direction: "inbound" | "outbound";
      isInternal: boolean;
      createdAt: string;
      html: string;
    }
  | { source: "customer"; field: "name" | IdentityKind; html: string };

export type TicketMatch = { score: number; matchedMessages: number; snippets: SearchSnippet[] };

/** A row of the ticket list; `match` is there when the list answers a search. */
export type TicketListItem = TicketSummary & { match?: TicketMatch };

/**
 * How the API sorted a list: the open views put frustrated customers first (then annoyed ones), each by latest
 * activity; breaching soon by SLA due time; value at risk by value; a search by relevance; the rest by activity.
 */
export type TicketListOrder = "frustration" | "activity" | "sla_due" | "value_at_risk" | "relevance";

export type TicketListPage = Page<TicketListItem> & {
  order?: TicketListOrder;
  search?: { matches: number; capped: boolean };
};

export type MailAddress = { name?: string; address: string };

export type Attachment = { id: number; filename: string; contentType: string; size: number; url: string };

export type CallDetails = {
  direction: "inbound" | "outbound";
  durationSeconds: number;
  outcome: "answered" | "resolved" | "callback_requested" | "voicemail" | "no_answer" | "missed";
  phoneNumber: string | null;
};

export type Message = {
  id: number;
  ticketId: number;
  direction: "inbound" | "outbound";
  isInternal: boolean;
  channel: Channel;
  author: { type: "customer" | "agent" | "system"; id: number | null; name: string };
  text: string;
  html: string | null;
  createdAt: string;
  deliveryStatus: DeliveryStatus;
  deliveryError: string | null;
  deliveryAttempts: number;
  isAutomated: boolean;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  attachments: Attachment[];
  call: CallDetails | null;
  /** Customers' messages only. */
  frustration: Frustration | null;
};

export type TicketDetail = TicketSummary & {
  customFields: Record<string, unknown>;
  replyAddress: string;
  messages: Message[];
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type TicketCounts = Record<TicketView, number>;

export type TicketUpdate = {
  status?: TicketStatus;
  priority?: TicketPriority;
  assigneeId?: number | null;
  teamId?: number | null;
  tags?: string[];
  subject?: string;
};

export type Order = {
  id: number;
  customerId: number;
  externalId: string | null;
  placedAt: string;
  amountMinor: number;
  currency: string;
  items: { sku?: string; name: string; quantity: number; unitAmountMinor: number }[];
  status: "placed" | "paid" | "fulfilled" | "delivered" | "cancelled" | "refunded";
  createdAt: string;
};

export type IdentityKind = "email" | "phone" | "chat" | "external" | "social";

export type CustomerDetail = {
  id: number;
  name: string | null;
  organization: { id: number; name: string } | null;
  tier: string | null;
  tags: string[];
  identities: { kind: IdentityKind; value: string }[];
  orders: { count: number; totals: { currency: string; amountMinor: number }[]; recent: Order[] };
  tickets: TicketSummary[];
  createdAt: string;
};

export type TimelineItem = {
  id: number;
  kind: string;
  summary: string;
  ticketId: number | null;
  occurredAt: string;
  data: Record<string, unknown>;
};

export type UserListItem = { id: number; name: string; email: string; role: Role; status?: string };

// ---------------------------------------------------------------------------------------------------------------
// Churn risk and service impact (GET /api/v1/retention/risk*, /customers/{id}/risk, /retention/service-impact).
// PROVISIONAL until the lead's src/modules/risk/risk.schemas.ts is on main (mirrors the draft); the contract test
// takes them over once it lands. The retention measures' types (from retention-data) are at the end of the file.
// ---------------------------------------------------------------------------------------------------------------

export type RiskBand = "low" | "medium" | "high";

export type RiskReason = {
  feature: string;
  label: string;
  value: number;
  /** How much it raised the log-odds of churn above an average customer's. */
  weight: number;
  /** The reason as a person reads it, e.g. "days since the last order: 214". */
  text: string;
};

export type CustomerRiskScore = {
  score: number;
  band: RiskBand;
  pAlive: number;
  reasons: RiskReason[];
  predictedValueMinor: number | null;
  valueAtRiskMinor: number | null;
  currency: string | null;
  scoredAt: string;
};

export type RiskListItem = CustomerRiskScore & {
  customer: { id: number; name: string | null; email: string | null };
};
export type RiskList = { items: RiskListItem[]; total: number };

export type CalibrationBin = { from: number; to: number; count: number; predicted: number; observed: number };

export type RiskModelInfo = {
  model: {
    trainedAt: string;
    asOf: string;
    horizonDays: number;
    activeDays: number;
    customers: number;
    backtest: {
      trainedAsOf: string;
      cutoff: string;
      horizonDays: number;
      trainCustomers: number;
      testCustomers: number;
      churnRate: number;
      auc: number | null;
      brier: number | null;
      baseline: { auc: number | null; brier: number | null };
      calibration: CalibrationBin[];
    };
  } | null;
  bands: Record<RiskBand, number>;
  valueAtRiskMinor: Record<RiskBand, number>;
  definitions: RetentionDefinitions;
};

export type CustomerRisk = {
  current: CustomerRiskScore | null;
  history: { scoredAt: string; score: number; band: RiskBand }[];
};

export type SurvivalPoint = { t: number; survival: number; lower: number; upper: number };
export type ServiceExperienceGroup = { customers: number; churned: number; meanDailyRevenueMinor: number };
export type ServiceExperience = {
  key: "slowFirstResponse" | "reopened" | "lowCsat" | "frustrated";
  label: string;
  exposedLabel: string;
  unexposedLabel: string;
  exposed: ServiceExperienceGroup;
  unexposed: ServiceExperienceGroup;
  curves: { exposed: SurvivalPoint[]; unexposed: SurvivalPoint[] };
  logRank: { chiSquare: number; p: number } | null;
  hazardRatio: { value: number; lower: number; upper: number; p: number } | null;
  controls: { name: string; hazardRatio: number; lower: number; upper: number }[];
  valueLostPerEventMinor: { value: number; lower: number; upper: number } | null;
  conclusion: "harmful" | "no_evidence" | "protective" | "too_thin";
  message: string;
};
export type ServiceImpact = {
  customers: number;
  contacts: number;
  horizonDays: number;
  lapseDays: number;
  recencyDays: number;
  currency: string | null;
  summary: string;
  definitions: RetentionDefinitions;
  experiences: ServiceExperience[];
};

/** What /api/v1/events streams (mirrors TendEvent in src/events/event-bus.ts). */
export type TendEvent =
  | { type: "ticket.created"; ticketId: number; customerId: number }
  | { type: "ticket.updated"; ticketId: number; customerId: number; changes: string[] }
  | {
      type: "message.created";
      ticketId: number;
      messageId: number;
      direction: "inbound" | "outbound";
      isInternal: boolean;
    }
  | { type: "message.updated"; ticketId: number; messageId: number; changes: string[] }
  | {
      type: "chat.typing";
      ticketId: number;
      conversationId: number;
      from: "visitor" | "agent";
      isTyping: boolean;
      name?: string;
    }
  | { type: "chat.conversation.updated"; conversationId: number; ticketId: number | null; changes: string[] }
  | { type: "sla.warning" | "sla.breached"; ticketId: number; metric: string }
  | { type: "notification.created"; userId: number; ticketId: number | null; kind: string };

export type AgentStatus = "online" | "away" | "offline";

export type PrechatField = { enabled: boolean; required: boolean };
export type ChatWidgetSettings = {
  prechat: { name: PrechatField; email: PrechatField; question: PrechatField };
  greeting: string;
  offlineMessage: string;
  allowedOrigins: string[];
};
export type ChatSettings = {
  widgetKey: string;
  widgetScriptUrl: string;
  embedSnippet: string;
  /** Only in admins' answers. */
  identitySecret: string | null;
  widget: ChatWidgetSettings;
  updatedAt: string;
};
export type TicketChat = {
  conversation: {
    id: number;
    status: "active" | "closed";
    replyChannel: "chat" | "email";
    identityVerified: boolean;
    visitorName: string | null;
    contactEmail: string | null;
    origin: string | null;
    createdAt: string;
  } | null;
};

export type MacroActions = {
  status?: TicketStatus;
  priority?: TicketPriority;
  addTags?: string[];
  removeTags?: string[];
  assignee?: number | "me" | null;
  teamId?: number | null;
};

/** A canned response with ticket changes (GET /api/v1/macros). */
export type Macro = {
  id: number;
  title: string;
  body: string;
  actions: MacroActions;
  position: number;
  usageCount: number;
  updatedAt: string;
};

/** What applying (or previewing) a macro on a ticket gives: the rendered text and the changes made. */
export type MacroResult = { macroId: number; text: string; changes: Record<string, unknown> };

export type CallOutcome = CallDetails["outcome"];

export type LogCallInput = {
  direction: CallDetails["direction"];
  durationSeconds: number;
  outcome: CallOutcome;
  notes: string;
  phoneNumber?: string;
};

export type Notification = {
  id: number;
  kind: string;
  ticketId: number | null;
  text: string;
  read: boolean;
  createdAt: string;
};

export type NotificationList = { items: Notification[]; unread: number };

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

// Retention measures (GET /api/v1/retention/*, lead and admin). Amounts are integer minor units of scope.currency;
// rates are fractions (0.25 = 25 %) or null when there is no base; `definitions` explains each rate in words.
export type RetentionPeriod = "month" | "quarter";
export type RfmSegment =
  | "champions"
  | "loyal"
  | "potential_loyalists"
  | "new"
  | "promising"
  | "need_attention"
  | "about_to_sleep"
  | "at_risk"
  | "cant_lose"
  | "hibernating"
  | "lost";
export type RetentionDefinitions = Record<string, string>;

export type RetentionScope = {
  source: "workspace" | "file";
  currency: string | null;
  asOf: string;
  customers: number;
  orders: number;
  firstPurchase: string | null;
  lastPurchase: string | null;
  excluded: { count: number; reason: string }[];
};

export type PeriodRetention = {
  period: string;
  start: string;
  end: string;
  partial: boolean;
  activeCustomers: number;
  newCustomers: number;
  reactivatedCustomers: number;
  previousCustomers: number;
  retainedCustomers: number;
  customerRetentionRate: number | null;
  customerChurnRate: number | null;
  revenueMinor: number;
  previousRevenueMinor: number;
  retainedRevenueMinor: number;
  grossRevenueRetention: number | null;
  netRevenueRetention: number | null;
  revenueChurnRate: number | null;
};

export type RetentionSummary = {
  scope: RetentionScope;
  revenueMinor: number;
  repeatPurchaseRate: number | null;
  medianDaysBetweenPurchases: number | null;
  meanLifetimeValueMinor: number | null;
  medianLifetimeValueMinor: number | null;
  lastMonth: PeriodRetention | null;
  lastQuarter: PeriodRetention | null;
  segments: { segment: RfmSegment; label: string; customers: number; revenueMinor: number }[];
  definitions: RetentionDefinitions;
};

export type RetentionRates = {
  scope: RetentionScope;
  period: RetentionPeriod;
  rows: PeriodRetention[];
  definitions: RetentionDefinitions;
};

export type CohortRow = {
  cohort: string;
  customers: number;
  counts: number[];
  shares: number[];
  revenueMinor: number[];
};

export type RetentionCohorts = {
  scope: RetentionScope;
  months: number;
  rows: CohortRow[];
  definitions: RetentionDefinitions;
};

export type RfmSegmentSummary = {
  segment: RfmSegment;
  label: string;
  meaning: string;
  customers: number;
  revenueMinor: number;
  customerShare: number;
  revenueShare: number | null;
};

export type RfmCustomer = {
  customerId: number;
  name: string | null;
  email: string | null;
  recencyDays: number;
  frequency: number;
  monetaryMinor: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
};

export type RetentionRfm = {
  scope: RetentionScope;
  segments: RfmSegmentSummary[];
  segment: RfmSegment | null;
  segmentCustomers: number | null;
  customers: RfmCustomer[] | null;
  definitions: RetentionDefinitions;
};

export type RetentionLtv = {
  scope: RetentionScope;
  customers: number;
  totalMinor: number;
  meanMinor: number | null;
  medianMinor: number | null;
  p90Minor: number | null;
  histogram: { fromMinor: number; toMinor: number | null; count: number }[];
  byCohort: {
    cohort: string;
    customers: number;
    revenueMinor: number;
    meanMinor: number;
    medianMinor: number;
  }[];
  definitions: RetentionDefinitions;
};

export type RetentionPurchases = {
  scope: RetentionScope;
  customers: number;
  repeatCustomers: number;
  repeatPurchaseRate: number | null;
  meanPurchaseDays: number | null;
  intervals: {
    count: number;
    meanDays: number | null;
    p25Days: number | null;
    medianDays: number | null;
    p75Days: number | null;
  };
  firstRepeat: { count: number; medianDays: number | null };
  histogram: { label: string; fromDays: number; toDays: number | null; count: number }[];
  definitions: RetentionDefinitions;
};

// Lead and admin screens: routing, SLA, macros, rules, survey reports (src/modules/{routing,sla,macros,rules,surveys}).

export type RoutingMode = "manual" | "round_robin" | "load_balanced";

export type TeamLoad = {
  id: number;
  name: string;
  routingMode: RoutingMode;
  waiting: number;
  agents: {
    userId: number;
    name: string;
    role: Role;
    status: AgentStatus;
    capacity: number;
    load: number;
    unstarted: number;
    lastAssignedAt: string | null;
  }[];
};

export type RoutingResult = { released: number[]; assigned: { ticketId: number; userId: number }[] };

export type Team = { id: number; name: string; memberIds: number[] };

export type SlaCalendarBody = {
  name: string;
  timezone: string;
  weekly: { day: number; start: string; end: string }[];
  holidays: { date: string; name?: string }[];
};
export type SlaCalendar = SlaCalendarBody & { id: number; description: string; updatedAt: string };

export type SlaPolicyConditions = {
  priorities?: TicketPriority[];
  channels?: Channel[];
  customerTiers?: string[];
  customerTags?: string[];
  teamIds?: number[];
};
export type SlaPolicyBody = {
  name: string;
  position: number;
  enabled: boolean;
  conditions: SlaPolicyConditions;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  calendarId: number;
  warnShare: number;
  escalation: { raisePriority?: boolean; notifyLead?: boolean; reassignTeamId?: number | null };
};
/** A stored policy: as sent, but the server does not narrow the condition lists' types. */
export type SlaPolicy = Omit<SlaPolicyBody, "conditions"> & {
  id: number;
  updatedAt: string;
  conditions: Omit<SlaPolicyConditions, "priorities" | "channels"> & {
    priorities?: string[];
    channels?: string[];
  };
};

export type SlaReportGroupBy = "team" | "agent" | "priority" | "channel" | "period" | "none";
export type ReportPeriod = "day" | "week" | "month";
export type SlaReportRow = {
  group: { key: string | null; label: string | null };
  metric: SlaMetric;
  completed: number;
  withTarget: number;
  met: number;
  metShare: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
};
export type SlaReport = { from: string; to: string; timezone: string; groupBy: string; rows: SlaReportRow[] };

export type MacroBody = { title: string; body: string; actions: MacroActions; position: number };
export type MacroVariable = { name: string; description: string };

export type RuleEvent = "ticket.created" | "message.received" | "ticket.status_changed" | "sla.warning";
export type RuleValueField =
  | "ticket.priority"
  | "ticket.status"
  | "ticket.channel"
  | "ticket.team_id"
  | "ticket.assignee_id"
  | "customer.tier"
  | "customer.email_domain"
  | "status.from"
  | "status.to"
  | "sla.metric"
  | "ticket.frustration_level"
  | "customer.risk_band";
export type RuleTextField = "ticket.subject" | "message.text";
export type RuleListField = "ticket.tags" | "customer.tags";
type RuleScalar = string | number | null;
export type RuleCondition =
  | { field: RuleValueField; operator: "is" | "is_not"; value: RuleScalar }
  | { field: RuleValueField; operator: "in" | "not_in"; value: RuleScalar[] }
  | { field: RuleValueField; operator: "is_set" | "is_not_set" }
  | { field: RuleTextField; operator: "contains_any" | "contains_none"; value: string[] }
  | { field: RuleListField; operator: "includes_any" | "includes_none"; value: string[] }
  | { field: "ticket.frustration_score"; operator: "at_least"; value: number };
export type RuleAction =
  | { type: "set_priority"; value: TicketPriority }
  | { type: "set_status"; value: TicketStatus }
  | { type: "add_tags" | "remove_tags"; value: string[] }
  | { type: "assign_team" | "assign_agent" | "apply_macro"; value: number }
  | { type: "send_webhook"; url: string; secret?: string };
export type RuleBody = {
  name: string;
  enabled: boolean;
  position: number;
  events: RuleEvent[];
  conditions: { all: RuleCondition[]; any: RuleCondition[] };
  actions: RuleAction[];
};
export type Rule = RuleBody & {
  id: number;
  fireCount: number;
  lastFiredAt: string | null;
  updatedAt: string;
};

export type SurveyMetric = "csat" | "ces" | "nps";
export type SurveyGroupBy = "agent" | "team" | "channel" | "none";
export type SurveyTally = { responses: number; value: number | null; positive: number; negative: number };
export type SurveyReport = {
  metric: SurveyMetric;
  groupBy: SurveyGroupBy;
  period: ReportPeriod;
  timezone: string;
  from: string;
  to: string;
  overall: SurveyTally;
  groups: (SurveyTally & {
    key: string | null;
    label: string | null;
    trend: (SurveyTally & { period: string })[];
    change: number | null;
  })[];
};
/** Where themes are read: survey comments, customers' own messages, or both. */
export type ThemeSource = "comments" | "messages" | "all";

/** A sentence behind a theme, from a survey comment or a customer's message, with its ticket when there is one. */
export type ThemeVerbatim = {
  source: "comment" | "message";
  ticketId: number | null;
  responseId: number | null;
  messageId: number | null;
  text: string;
  at: string;
};

/** A recurring phrase: texts that mention it in the period and in the one of equal length before. */
export type Theme = {
  phrase: string;
  count: number;
  previousCount: number;
  trend: "new" | "rising" | "steady" | "falling";
  examples: ThemeVerbatim[];
};

export type ThemesReport = {
  from: string;
  to: string;
  previousFrom: string;
  source: ThemeSource;
  texts: { current: number; previous: number };
  themes: Theme[];
};

export type SurveyResponseItem = {
  id: number;
  sendId: number;
  kind: string;
  metric: SurveyMetric | null;
  score: number | null;
  comment: string | null;
  answers: Record<string, string | number>;
  source: string;
  respondedAt: string;
  customer: { id: number; name: string | null };
  ticketId: number | null;
  agent: { id: number; name: string } | null;
  team: { id: number; name: string } | null;
  ticketChannel: string | null;
};
export type RecoveryOutcome = "recovered" | "not_recovered" | "unreachable";
export type Recovery = {
  id: number;
  status: "open" | "done";
  action: string;
  metric: SurveyMetric | null;
  score: number | null;
  comment: string | null;
  customer: { id: number; name: string | null };
  ticketId: number | null;
  owner: { id: number; name: string } | null;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
  outcome: RecoveryOutcome | null;
  outcomeNote: string | null;
  resolvedAt: string | null;
  boughtAgainAt: string | null;
};
export type SurveySettings = {
  responseWindowDays: number;
  resolution: { enabled: boolean; metric: "csat" | "ces"; delayHours: number; inChat: boolean };
  checkIn: { enabled: boolean; basis: "placed" | "delivered"; days: number };
  relationshipNps: {
    enabled: boolean;
    cadenceMonths: 3 | 6 | 12;
    minDaysSinceLastSurvey: number;
    enabledAt: string | null;
  };
  contactBudget: { maxMessages: number; periodDays: number };
  wording: {
    csat: string;
    csatStyle: "faces" | "stars";
    ces: string;
    nps: string;
    npsReason: string;
    checkIn: string;
    comment: string;
  };
  recovery: {
    enabled: boolean;
    action: "reopen" | "task";
    dueHours: number;
    csatAtMost: number;
    npsAtMost: number;
    cesAtMost: number;
  };
};
