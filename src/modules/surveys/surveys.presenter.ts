import type { z } from "zod";
import type { SurveyReport, TallyWithValue } from "./survey-reports.service.ts";
import type {
  recoverySchema,
  reportSchema,
  surveyDefinitionSchema,
  surveyResponseItemSchema,
  surveySendSchema,
} from "./surveys.schemas.ts";
import type {
  RecoveryListItem,
  SurveyDefinitionRow,
  SurveyResponseRow,
  SurveySendRow,
} from "./surveys.service.ts";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentSend(
  send: SurveySendRow,
  response: SurveyResponseRow | null,
  responseUrl: string | null,
): z.infer<typeof surveySendSchema> {
  return {
    id: send.id,
    kind: send.kind,
    metric: send.metric,
    channel: send.channel,
    status: send.status,
    skipReason: send.skipReason,
    customerId: send.customerId,
    ticketId: send.ticketId,
    orderId: send.orderId,
    recipientEmail: send.recipientEmail,
    attempts: send.attempts,
    lastError: send.lastError,
    createdAt: send.createdAt.toISOString(),
    sentAt: iso(send.sentAt),
    expiresAt: iso(send.expiresAt),
    responseUrl,
    response: response
      ? { score: response.score, comment: response.comment, respondedAt: response.respondedAt.toISOString() }
      : null,
  };
}

export function presentDefinition(row: SurveyDefinitionRow): z.infer<typeof surveyDefinitionSchema> {
  return {
    id: row.id,
    name: row.name,
    questions: row.questions,
    purpose: row.purpose,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

type ResponseRow = {
  response: SurveyResponseRow;
  kind: SurveySendRow["kind"];
  ticketId: number | null;
  agentId: number | null;
  agentName: string | null;
  teamId: number | null;
  teamName: string | null;
  ticketChannel: string | null;
  customerName: string | null;
};

export function presentResponse(row: ResponseRow): z.infer<typeof surveyResponseItemSchema> {
  return {
    id: row.response.id,
    sendId: row.response.sendId,
    kind: row.kind,
    metric: row.response.metric,
    score: row.response.score,
    comment: row.response.comment,
    answers: row.response.answers,
    source: row.response.source,
    respondedAt: row.response.respondedAt.toISOString(),
    customer: { id: row.response.customerId, name: row.customerName },
    ticketId: row.ticketId,
    agent: row.agentId !== null && row.agentName !== null ? { id: row.agentId, name: row.agentName } : null,
    team: row.teamId !== null && row.teamName !== null ? { id: row.teamId, name: row.teamName } : null,
    ticketChannel: row.ticketChannel,
  };
}

export function presentRecovery(item: RecoveryListItem, now: Date): z.infer<typeof recoverySchema> {
  const r = item.recovery;
  return {
    id: r.id,
    status: r.status,
    action: r.action,
    metric: r.metric,
    score: r.score,
    comment: item.comment,
    customer: { id: r.customerId, name: item.customerName },
    ticketId: r.ticketId,
    owner:
      r.ownerUserId !== null && item.ownerName !== null ? { id: r.ownerUserId, name: item.ownerName } : null,
    dueAt: r.dueAt.toISOString(),
    overdue: r.status === "open" && r.dueAt.getTime() < now.getTime(),
    createdAt: r.createdAt.toISOString(),
    outcome: r.outcome,
    outcomeNote: r.outcomeNote,
    resolvedAt: iso(r.resolvedAt),
    boughtAgainAt: item.boughtAgainAt ? new Date(item.boughtAgainAt).toISOString() : null,
  };
}

const tallyFields = (tally: TallyWithValue) => ({
  responses: tally.responses,
  value: tally.value,
  positive: tally.positive,
  negative: tally.negative,
});

export function presentReport(report: SurveyReport): z.infer<typeof reportSchema> {
  return {
    metric: report.metric,
    groupBy: report.groupBy,
    period: report.period,
    timezone: report.timezone,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    overall: tallyFields(report.overall),
    groups: report.groups.map((group) => ({
      key: group.key,
      label: group.label,
      ...tallyFields(group.tally),
      trend: group.trend.map((point) => ({ period: point.period, ...tallyFields(point.tally) })),
      change: group.change,
    })),
  };
}
