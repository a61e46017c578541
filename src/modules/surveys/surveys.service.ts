import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { AppContext, ServiceContext } from "../../context.ts";
import type { SurveyQuestionJson } from "../../db/schema.ts";
import { conflict, notFound, validationFailed } from "../../errors.ts";
import { enqueueJob } from "../../jobs/job-queue.ts";
import { surveyDeliveryJob } from "../../jobs/survey-delivery.job.ts";
import { recordTimelineEvent } from "../timeline/timeline.service.ts";
import { type BuiltInKind, builtInQuestions, metricOf, type ParsedAnswers } from "./survey-questions.ts";
import { type ContactDecision, decideContact } from "./survey-rules.ts";
import {
  generateSurveySecret,
  type SurveyLinkPurpose,
  signSurveyToken,
  verifySurveyToken,
} from "./survey-token.ts";
import {
  type ContactPurpose,
  deleteOptOut,
  insertDefinition,
  insertOptOut,
  insertRecovery,
  insertResponse,
  insertSend,
  insertSurveySettingsIfMissing,
  lockCustomerContact,
  type SendListFilter,
  type SurveyDefinitionRow,
  type SurveyRecoveryRow,
  type SurveyResponseRow,
  type SurveySendRow,
  selectChatSendForTicket,
  selectDefinitionById,
  selectDefinitions,
  selectNpsCandidates,
  selectOptOutPurposes,
  selectRecentMailTimes,
  selectRecoveries,
  selectRecoveryById,
  selectRecoverySummary,
  selectResponseBySendId,
  selectSendById,
  selectSends,
  selectSendsForTicket,
  selectSurveySettings,
  updateDefinitionRow,
  updateRecoveryRow,
  updateResponseRow,
  updateSurveySettingsRow,
} from "./surveys.repo.ts";
import {
  type SurveySettings,
  type surveyDefinitionBodySchema,
  surveySettingsSchema,
} from "./surveys.schemas.ts";

export type {
  ContactPurpose,
  SurveyDefinitionRow,
  SurveyRecoveryRow,
  SurveyResponseRow,
  SurveySendRow,
} from "./surveys.repo.ts";
export type { SurveySettings } from "./surveys.schemas.ts";

type Ctx = ServiceContext;
const dayMs = 86_400_000;

// ---- settings -------------------------------------------------------------------------------------------------------

export const defaultSurveySettings: SurveySettings = surveySettingsSchema.parse({});

/** Stored settings read with today's defaults for anything missing (settings saved by an older version). */
function readSettings(stored: Record<string, unknown>): SurveySettings {
  const parsed = surveySettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultSurveySettings;
}

/** The settings and the link-signing secret; the first call creates them. */
export async function getSurveyConfig(
  ctx: Pick<Ctx, "db" | "clock">,
): Promise<{ settings: SurveySettings; secret: string }> {
  let row = await selectSurveySettings(ctx.db);
  if (!row) {
    await insertSurveySettingsIfMissing(ctx.db, {
      tokenSecret: generateSurveySecret(),
      settings: defaultSurveySettings,
      now: ctx.clock.now(),
    });
    row = await selectSurveySettings(ctx.db);
    if (!row) throw new Error("survey settings vanished right after being created");
  }
  return { settings: readSettings(row.settings), secret: row.tokenSecret };
}

export async function getSurveySettings(ctx: Pick<Ctx, "db" | "clock">): Promise<SurveySettings> {
  return (await getSurveyConfig(ctx)).settings;
}

/**
 * Replaces the settings (missing fields take their defaults). Switching relationship NPS on starts its first cycle
 * now; `enabledAt` is Tend's to set.
 */
export async function updateSurveySettings(
  ctx: Pick<Ctx, "db" | "clock">,
  input: z.input<typeof surveySettingsSchema>,
): Promise<SurveySettings> {
  const before = await getSurveySettings(ctx);
  const next = surveySettingsSchema.parse(input);
  const nps = next.relationshipNps;
  nps.enabledAt = !nps.enabled
    ? null
    : before.relationshipNps.enabled && before.relationshipNps.enabledAt
      ? before.relationshipNps.enabledAt
      : ctx.clock.now().toISOString();
  await updateSurveySettingsRow(ctx.db, next, ctx.clock.now());
  return next;
}

// ---- definitions (surveys of several questions) ---------------------------------------------------------------------

type DefinitionInput = z.output<typeof surveyDefinitionBodySchema>;

export async function listSurveyDefinitions(ctx: Pick<Ctx, "db">): Promise<SurveyDefinitionRow[]> {
  return selectDefinitions(ctx.db);
}

export async function getSurveyDefinition(ctx: Pick<Ctx, "db">, id: number): Promise<SurveyDefinitionRow> {
  const row = await selectDefinitionById(ctx.db, id);
  if (!row) throw notFound("Survey", id);
  return row;
}

export async function createSurveyDefinition(ctx: Pick<Ctx, "db" | "clock">, input: DefinitionInput) {
  const now = ctx.clock.now();
  return insertDefinition(ctx.db, {
    name: input.name,
    questions: input.questions as SurveyQuestionJson[],
    purpose: input.purpose,
    active: input.active,
    createdAt: now,
    updatedAt: now,
  });
}

export async function updateSurveyDefinition(
  ctx: Pick<Ctx, "db" | "clock">,
  id: number,
  input: DefinitionInput,
) {
  const row = await updateDefinitionRow(ctx.db, id, {
    name: input.name,
    questions: input.questions as SurveyQuestionJson[],
    purpose: input.purpose,
    active: input.active,
    updatedAt: ctx.clock.now(),
  });
  if (!row) throw notFound("Survey", id);
  return row;
}

// ---- consent --------------------------------------------------------------------------------------------------------

export type ContactConsent = { surveys: boolean; followUps: boolean };

export async function getContactConsent(ctx: Pick<Ctx, "db">, customerId: number): Promise<ContactConsent> {
  const optedOut = new Set(await selectOptOutPurposes(ctx.db, customerId));
  return { surveys: !optedOut.has("surveys"), followUps: !optedOut.has("follow_ups") };
}

const purposeLabels: Record<ContactPurpose, string> = { surveys: "surveys", follow_ups: "follow-ups" };

/** Records that a customer wants no more mail of this purpose (from the unsubscribe page, a mail client or an agent). */
export async function optOutOfContact(
  ctx: Ctx,
  customerId: number,
  purpose: ContactPurpose,
  source: string,
  actorUserId: number | null = null,
): Promise<boolean> {
  const now = ctx.clock.now();
  const added = await insertOptOut(ctx.db, { customerId, purpose, source, now });
  if (added) {
    await recordTimelineEvent(ctx.db, {
      customerId,
      kind: "contact.opted_out",
      summary: `Opted out of ${purposeLabels[purpose]} (${source})`,
      actorUserId,
      data: { purpose, source },
      occurredAt: now,
    });
  }
  return added;
}

/** Sets a customer's consent as an agent recorded it; only the purposes given change. */
export async function setContactConsent(
  ctx: Ctx,
  customerId: number,
  input: Partial<ContactConsent>,
  actorUserId: number | null,
): Promise<ContactConsent> {
  const now = ctx.clock.now();
  const changes: [ContactPurpose, boolean | undefined][] = [
    ["surveys", input.surveys],
    ["follow_ups", input.followUps],
  ];
  for (const [purpose, allowed] of changes) {
    if (allowed === false) await optOutOfContact(ctx, customerId, purpose, "agent", actorUserId);
    if (allowed === true && (await deleteOptOut(ctx.db, customerId, purpose))) {
      await recordTimelineEvent(ctx.db, {
        customerId,
        kind: "contact.opted_in",
        summary: `Agreed to ${purposeLabels[purpose]} again (recorded by an agent)`,
        actorUserId,
        data: { purpose },
        occurredAt: now,
      });
    }
  }
  return getContactConsent(ctx, customerId);
}

export async function isOptedOut(ctx: Pick<Ctx, "db">, customerId: number, purpose: ContactPurpose) {
  return (await selectOptOutPurposes(ctx.db, customerId)).includes(purpose);
}

// ---- sends ----------------------------------------------------------------------------------------------------------

export type NewSurveySend = {
  kind: BuiltInKind | "custom";
  /** For kind "custom": the survey of several questions to send. */
  definition?: SurveyDefinitionRow;
  customerId: number;
  channel: "email" | "chat" | "api";
  ticket?: {
    id: number;
    agentId: number | null;
    teamId: number | null;
    channel: SurveySendRow["ticketChannel"];
  };
  orderId?: number | null;
  recipient?: { address: string; name: string | null } | null;
  mailSubject?: string;
  /** What it is about, for the mail's first line: the ticket's subject, the order's number. */
  about?: string | null;
  replyTo?: string | null;
  /** When the mail may go (default now): NPS surveys wait for their customer's working-hours slot. */
  deliverAt?: Date;
  /** Refused sends are not stored (relationship NPS: the next sweep asks again). */
  dropIfRefused?: boolean;
};

export function purposeOfKind(kind: NewSurveySend["kind"], definition?: SurveyDefinitionRow): ContactPurpose {
  if (kind === "check_in") return "follow_ups";
  return definition?.purpose ?? "surveys";
}

/**
 * Creates a send under the contact rules: opted-out customers get nothing, mail needs an address and room in the
 * contact budget. A send the rules refuse is stored as `skipped` with the reason (so admins can see why). Mail is
 * queued for the survey.delivery job; chat and API sends are open at once. Run inside a transaction: the decision
 * holds the customer's contact lock until the commit. Null when a unique rule already holds such a send (one
 * check-in per order, one chat prompt per ticket).
 */
export async function createSurveySend(ctx: AppContext, input: NewSurveySend): Promise<SurveySendRow | null> {
  const now = ctx.clock.now();
  const { settings } = await getSurveyConfig(ctx);
  const purpose = purposeOfKind(input.kind, input.definition);
  await lockCustomerContact(ctx.db, input.customerId);
  const decision: ContactDecision = decideContact({
    optedOut: await isOptedOut(ctx, input.customerId, purpose),
    channel: input.channel,
    hasAddress: Boolean(input.recipient?.address),
    previousMails:
      input.channel === "email"
        ? await selectRecentMailTimes(
            ctx.db,
            input.customerId,
            new Date(now.getTime() - settings.contactBudget.periodDays * dayMs),
          )
        : [],
    now,
    budget: settings.contactBudget,
  });
  const questions =
    input.kind === "custom" ? (input.definition?.questions ?? []) : builtInQuestions(input.kind, settings);
  if (questions.length === 0) throw validationFailed("The survey has no questions");
  if (!decision.send && input.dropIfRefused) return null;
  const opensNow = decision.send && input.channel !== "email";
  const send = await insertSend(ctx.db, {
    kind: input.kind,
    metric: metricOf(questions),
    purpose,
    definitionId: input.definition?.id ?? null,
    channel: input.channel,
    status: !decision.send ? "skipped" : input.channel === "email" ? "queued" : "sent",
    skipReason: decision.send ? null : decision.reason,
    customerId: input.customerId,
    ticketId: input.ticket?.id ?? null,
    orderId: input.orderId ?? null,
    questions,
    agentId: input.ticket?.agentId ?? null,
    teamId: input.ticket?.teamId ?? null,
    ticketChannel: input.ticket?.channel ?? null,
    recipientEmail: input.recipient?.address ?? null,
    recipientName: input.recipient?.name ?? null,
    mailSubject: input.mailSubject ?? null,
    mailAbout: input.about ?? null,
    replyTo: input.replyTo ?? null,
    mailMessageId:
      decision.send && input.channel === "email"
        ? `tend.survey.${randomBytes(12).toString("hex")}@${ctx.config.mailDomain}`
        : null,
    createdAt: now,
    sentAt: opensNow ? now : null,
    expiresAt: opensNow ? new Date(now.getTime() + settings.responseWindowDays * dayMs) : null,
  });
  if (!send) return null;
  if (send.status === "queued") {
    await enqueueJob(
      ctx,
      surveyDeliveryJob,
      { sendId: send.id },
      { singletonKey: `survey-delivery:${send.id}`, runAt: input.deliverAt },
    );
  } else if (send.status === "sent") {
    await recordSendTimeline(ctx, send);
  }
  return send;
}

const kindLabels: Record<SurveySendRow["kind"], string> = {
  csat: "Satisfaction survey",
  ces: "Effort survey",
  nps: "NPS survey",
  check_in: "Purchase check-in",
  custom: "Survey",
};

export function describeSendKind(kind: SurveySendRow["kind"]): string {
  return kindLabels[kind];
}

/** "Satisfaction survey sent by email about #12" on the customer's timeline. */
export async function recordSendTimeline(ctx: Pick<Ctx, "db">, send: SurveySendRow): Promise<void> {
  const about = send.ticketId
    ? ` about #${send.ticketId}`
    : send.orderId
      ? ` about order #${send.orderId}`
      : "";
  const how =
    send.channel === "email" ? "by email" : send.channel === "chat" ? "in the chat" : "through the API";
  await recordTimelineEvent(ctx.db, {
    customerId: send.customerId,
    ticketId: send.ticketId,
    kind: "survey.sent",
    summary: `${kindLabels[send.kind]} sent ${how}${about}`,
    data: { sendId: send.id, kind: send.kind, channel: send.channel },
    occurredAt: send.sentAt ?? send.createdAt,
  });
}

export async function getSurveySend(ctx: Pick<Ctx, "db">, id: number): Promise<SurveySendRow> {
  const send = await selectSendById(ctx.db, id);
  if (!send) throw notFound("Survey send", id);
  return send;
}

export async function lockSurveySend(ctx: Pick<Ctx, "db">, id: number): Promise<SurveySendRow> {
  const send = await selectSendById(ctx.db, id, { forUpdate: true });
  if (!send) throw notFound("Survey send", id);
  return send;
}

/**
 * Whether a ticket already had its resolution survey: one mailed (whatever became of it), or one answered in the
 * chat widget. A ticket gets one; a prompt left unanswered in the chat still lets the mail go.
 */
export async function hasResolutionSurvey(ctx: Pick<Ctx, "db">, ticketId: number): Promise<boolean> {
  for (const send of await selectSendsForTicket(ctx.db, ticketId)) {
    if (send.kind !== "csat" && send.kind !== "ces") continue;
    if (send.channel === "email" && send.status !== "skipped") return true;
    if (send.channel === "chat" && (await selectResponseBySendId(ctx.db, send.id))) return true;
  }
  return false;
}

export async function findChatSurveySend(
  ctx: Pick<Ctx, "db">,
  ticketId: number,
): Promise<SurveySendRow | null> {
  return (await selectChatSendForTicket(ctx.db, ticketId)) ?? null;
}

export type { NpsCandidateRow } from "./surveys.repo.ts";

/** Customers who may be due relationship NPS (email, not opted out, none since `notSurveyedSince`), by id. */
export async function listNpsCandidates(
  ctx: Pick<Ctx, "db">,
  options: { notSurveyedSince: Date; afterId: number; limit: number },
) {
  return selectNpsCandidates(ctx.db, options);
}

export async function listSurveySends(ctx: Pick<Ctx, "db">, filter: SendListFilter) {
  return selectSends(ctx.db, filter);
}

/** The public link of a send for this purpose. */
export function surveyLink(
  config: AppContext["config"],
  secret: string,
  purpose: SurveyLinkPurpose,
  sendId: number,
): string {
  const token = signSurveyToken(secret, purpose, sendId);
  return purpose === "respond"
    ? `${config.publicUrl}/survey/${token}`
    : `${config.publicUrl}/survey/unsubscribe/${token}`;
}

/** The send a signed link opens, or null for a malformed or forged token (or a send that is gone). */
export async function findSendByToken(
  ctx: Pick<Ctx, "db" | "clock">,
  purpose: SurveyLinkPurpose,
  token: string,
): Promise<SurveySendRow | null> {
  const { secret } = await getSurveyConfig(ctx);
  const sendId = verifySurveyToken(secret, purpose, token);
  if (sendId === null) return null;
  return (await selectSendById(ctx.db, sendId)) ?? null;
}

/** Where a send stands for its customer: open for an answer, answered, or closed (expired, or never sent). */
export function sendAnswerState(
  send: SurveySendRow,
  response: SurveyResponseRow | null,
  now: Date,
): "open" | "answered" | "closed" {
  if (response) return "answered";
  if (send.status !== "sent" || !send.expiresAt) return "closed";
  return now.getTime() < send.expiresAt.getTime() ? "open" : "closed";
}

export async function findSendResponse(
  ctx: Pick<Ctx, "db">,
  sendId: number,
): Promise<SurveyResponseRow | null> {
  return (await selectResponseBySendId(ctx.db, sendId)) ?? null;
}

// ---- responses ------------------------------------------------------------------------------------------------------

/**
 * Stores the one response of a send (call with the send locked); a second answer is a conflict. Adds it to the
 * customer's timeline.
 */
export async function insertSurveyResponse(
  ctx: Ctx,
  send: SurveySendRow,
  parsed: ParsedAnswers,
  source: string,
): Promise<SurveyResponseRow> {
  const now = ctx.clock.now();
  const response = await insertResponse(ctx.db, {
    sendId: send.id,
    customerId: send.customerId,
    metric: send.metric,
    score: parsed.score,
    answers: parsed.answers,
    comment: parsed.comment,
    source,
    respondedAt: now,
    updatedAt: now,
  });
  if (!response) throw conflict("This survey has already been answered", { sendId: send.id });
  const scale =
    send.metric === "nps" ? "/10" : send.metric === "ces" ? "/7" : send.metric === "csat" ? "/5" : "";
  const scoreText =
    parsed.score === null
      ? ""
      : send.kind === "check_in"
        ? parsed.score === 1
          ? ": all good"
          : ": a problem"
        : `: ${parsed.score}${scale}`;
  await recordTimelineEvent(ctx.db, {
    customerId: send.customerId,
    ticketId: send.ticketId,
    kind: "survey.answered",
    summary: `${kindLabels[send.kind]} answered${scoreText}${parsed.comment ? ` – “${parsed.comment.slice(0, 120)}”` : ""}`,
    data: { sendId: send.id, responseId: response.id, score: parsed.score, metric: send.metric },
    occurredAt: now,
  });
  return response;
}

/** Adds or replaces the comment of a response within its window (the page asks for one after the score). */
export async function setResponseComment(
  ctx: Ctx,
  response: SurveyResponseRow,
  comment: string,
): Promise<SurveyResponseRow> {
  const now = ctx.clock.now();
  const text = comment.trim().slice(0, 5000);
  const updated = await updateResponseRow(ctx.db, response.id, {
    comment: text || null,
    answers: { ...response.answers, comment: text },
    updatedAt: now,
  });
  if (text) {
    await recordTimelineEvent(ctx.db, {
      customerId: response.customerId,
      kind: "survey.commented",
      summary: `Survey comment: “${text.slice(0, 200)}”`,
      data: { responseId: response.id, sendId: response.sendId },
      occurredAt: now,
    });
  }
  return updated;
}

export async function setResponseOpenedTicket(ctx: Pick<Ctx, "db">, responseId: number, ticketId: number) {
  return updateResponseRow(ctx.db, responseId, { openedTicketId: ticketId });
}

// ---- recoveries -----------------------------------------------------------------------------------------------------

export async function insertRecoveryRecord(
  ctx: Pick<Ctx, "db">,
  values: Parameters<typeof insertRecovery>[1],
): Promise<SurveyRecoveryRow> {
  const row = await insertRecovery(ctx.db, values);
  if (!row) throw conflict("This response already started a recovery", { responseId: values.responseId });
  return row;
}

export async function lockRecovery(ctx: Pick<Ctx, "db">, id: number): Promise<SurveyRecoveryRow> {
  const row = await selectRecoveryById(ctx.db, id, { forUpdate: true });
  if (!row) throw notFound("Recovery", id);
  return row;
}

export async function findRecovery(ctx: Pick<Ctx, "db">, id: number): Promise<SurveyRecoveryRow | null> {
  return (await selectRecoveryById(ctx.db, id)) ?? null;
}

export async function saveRecoveryOutcome(
  ctx: Pick<Ctx, "db" | "clock">,
  id: number,
  input: { outcome: NonNullable<SurveyRecoveryRow["outcome"]>; note: string | null; userId: number | null },
): Promise<SurveyRecoveryRow> {
  return updateRecoveryRow(ctx.db, id, {
    status: "done",
    outcome: input.outcome,
    outcomeNote: input.note,
    resolvedAt: ctx.clock.now(),
    resolvedByUserId: input.userId,
  });
}

export type RecoveryListItem = Awaited<ReturnType<typeof selectRecoveries>>[number];

export async function listRecoveries(
  ctx: Pick<Ctx, "db">,
  filter: { status?: "open" | "done"; ids?: number[]; beforeId?: number; limit: number },
): Promise<RecoveryListItem[]> {
  return selectRecoveries(ctx.db, filter);
}

/** Open and overdue recoveries now, and by outcome in [from, to): how many, and whose customers bought again. */
export async function getRecoverySummary(ctx: Pick<Ctx, "db" | "clock">, options: { from: Date; to: Date }) {
  const summary = await selectRecoverySummary(ctx.db, { ...options, now: ctx.clock.now() });
  return {
    open: summary.open,
    overdue: summary.overdue,
    byOutcome: summary.byOutcome.map((row) => ({
      outcome: row.outcome as "recovered" | "not_recovered" | "unreachable" | "open",
      recoveries: row.recoveries,
      customers: row.customers,
      boughtAgain: row.boughtAgain,
      boughtAgainShare: row.customers > 0 ? row.boughtAgain / row.customers : null,
    })),
  };
}
