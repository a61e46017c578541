import { builtInQuestions } from "../surveys/survey-questions.ts";
import { remainingContactBudget } from "../surveys/survey-rules.ts";
import { surveySettingsSchema } from "../surveys/surveys.schemas.ts";
import type { DemoPlan, PlanTimelineEvent } from "./demo-model.ts";
import { createDemoRandom } from "./demo-random.ts";
import { DAY, HOUR, MINUTE } from "./demo-time.ts";

/**
 * The demo's survey history, planned from the finished ticket plan (pure, seeded from its own stream so the rest of
 * the demo is unchanged): a CSAT mail a day after each solved ticket (within the contact budget; a prompt at the
 * end of chats), about a third answered, and scores that follow the service the customer got. Slow first replies
 * and reopened tickets score lower, frustrated customers a little lower still, so "recent low CSAT" carries the
 * same signal as the planted bad-service effect (see README.md).
 */

export const demoSurveyModel = {
  delayHours: 24,
  responseRate: { email: 0.3, chat: 0.45, afterBadService: 0.06 },
  /** Score 1..5 probabilities after good service, and after the worst. */
  goodScores: [0.02, 0.03, 0.07, 0.23, 0.65],
  badScores: [0.38, 0.24, 0.17, 0.12, 0.09],
  /** How far each problem moves the mix towards badScores (capped at 1). */
  badness: { slow: 0.55, reopened: 0.7, frustrated: 0.3 },
  commentRate: 0.45,
} as const;

export type PlanSurveySend = {
  id: number;
  customerId: number;
  ticketId: number;
  channel: "email" | "chat";
  status: "sent" | "skipped";
  skipReason: string | null;
  assigneeAgent: number | null;
  teamIndex: number;
  ticketChannel: DemoPlan["tickets"][number]["channel"];
  recipientEmail: string | null;
  recipientName: string | null;
  mailSubject: string | null;
  mailAbout: string;
  mailMessageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date | null;
  attempts: number;
};

export type PlanSurveyResponse = {
  id: number;
  sendId: number;
  customerId: number;
  score: number;
  comment: string | null;
  source: "page" | "chat";
  respondedAt: Date;
};

export type DemoSurveyPlan = {
  sends: PlanSurveySend[];
  responses: PlanSurveyResponse[];
  /** survey.sent and survey.answered events, ids after the plan's own. */
  timeline: PlanTimelineEvent[];
  /** Per sent survey: whether its ticket had a slow first reply or was reopened (for tests and the README). */
  badService: Map<number, boolean>;
};

const lowComments = [
  "It took days before anyone answered.",
  "I had to write again because the problem wasn't fixed.",
  "Nobody told me what was going on with my order.",
  "Still waiting for a proper solution.",
  "The answer didn't help; I had to explain everything twice.",
];
const midComments = [
  "Sorted in the end, but it took a while.",
  "Fine, though a quicker reply would have been nice.",
  "OK. The replacement was good, the wait less so.",
];
const highComments = [
  "Quick and friendly, thank you!",
  "Sorted in minutes. Great service.",
  "Really appreciated the personal touch.",
  "Thanks for going the extra mile with the replacement.",
  "Lovely people, fast answer.",
];

const defaultSettings = surveySettingsSchema.parse({});

const labels = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"];

export function planDemoSurveys(
  plan: DemoPlan,
  options: { mailDomain: string; idBase: { send: number; response: number; timeline: number } },
): DemoSurveyPlan {
  const m = demoSurveyModel;
  const settings = defaultSettings;
  const end = plan.now.getTime();
  const rng = createDemoRandom(plan.seed).fork("surveys");
  const windowMs = settings.responseWindowDays * DAY;
  const budget = settings.contactBudget;

  const firstReply = new Map<number, number>();
  for (const message of plan.messages) {
    if (message.direction !== "outbound" || message.isInternal) continue;
    const at = message.createdAt.getTime();
    const known = firstReply.get(message.ticketId);
    if (known === undefined || at < known) firstReply.set(message.ticketId, at);
  }
  const emailOf = new Map<number, string>();
  for (const identity of plan.identities) {
    if (identity.kind === "email" && (identity.isPrimary || !emailOf.has(identity.customerId))) {
      emailOf.set(identity.customerId, identity.value);
    }
  }
  const nameOf = new Map(plan.customers.map((customer) => [customer.id, customer.name]));

  type Candidate = { ticket: DemoPlan["tickets"][number]; at: number; channel: "email" | "chat" };
  const candidates: Candidate[] = [];
  for (const ticket of plan.tickets) {
    if (!ticket.solvedAt || (ticket.status !== "solved" && ticket.status !== "closed")) continue;
    const channel = ticket.channel === "chat" ? "chat" : "email";
    const at = ticket.solvedAt.getTime() + (channel === "chat" ? 0 : m.delayHours * HOUR);
    if (at > end) continue;
    candidates.push({ ticket, at, channel });
  }
  candidates.sort((a, b) => a.at - b.at || a.ticket.id - b.ticket.id);

  const sends: PlanSurveySend[] = [];
  const responses: PlanSurveyResponse[] = [];
  const events: Omit<PlanTimelineEvent, "id">[] = [];
  const badService = new Map<number, boolean>();
  const mailed = new Map<number, Date[]>();
  for (const { ticket, at, channel } of candidates) {
    const id = options.idBase.send + sends.length;
    const email = emailOf.get(ticket.customerId) ?? null;
    const previous = mailed.get(ticket.customerId) ?? [];
    const skipReason =
      channel === "chat"
        ? null
        : !email
          ? "no_address"
          : remainingContactBudget(previous, new Date(at), budget) < 1
            ? "contact_budget"
            : null;
    const sent = skipReason === null;
    if (sent && channel === "email") mailed.set(ticket.customerId, [...previous, new Date(at)]);
    sends.push({
      id,
      customerId: ticket.customerId,
      ticketId: ticket.id,
      channel,
      status: sent ? "sent" : "skipped",
      skipReason,
      assigneeAgent: ticket.assigneeAgent,
      teamIndex: ticket.teamIndex,
      ticketChannel: ticket.channel,
      recipientEmail: channel === "email" ? email : null,
      recipientName: channel === "email" ? (nameOf.get(ticket.customerId) ?? null) : null,
      mailSubject: channel === "email" ? `How did we do? Re: ${ticket.subject}` : null,
      mailAbout: ticket.subject,
      mailMessageId: sent && channel === "email" ? `tend.survey.${rng.hex(24)}@${options.mailDomain}` : null,
      createdAt: new Date(at),
      sentAt: sent ? new Date(at) : null,
      expiresAt: sent ? new Date(at + windowMs) : null,
      attempts: sent && channel === "email" ? 1 : 0,
    });
    if (!sent) continue;
    events.push({
      customerId: ticket.customerId,
      ticketId: ticket.id,
      kind: "survey.sent",
      summary: `Satisfaction survey sent ${channel === "email" ? "by email" : "in the chat"} about #${ticket.id}`,
      actorAgent: null,
      data: { sendId: id, kind: "csat", channel },
      occurredAt: new Date(at),
    });

    const first = firstReply.get(ticket.id);
    const slow = first === undefined || first - ticket.createdAt.getTime() > 24 * HOUR;
    const reopened = ticket.tags.includes("reopened");
    const frustrated = ticket.tags.includes("escalated");
    badService.set(id, slow || reopened);
    const rate = m.responseRate[channel] + (slow || reopened ? m.responseRate.afterBadService : 0);
    if (!rng.chance(rate)) continue;
    const delay =
      channel === "chat" ? rng.int(1, 4) * MINUTE : Math.min(rng.logNormal(3 * HOUR, 1.3), 20 * DAY);
    const respondedAt = at + Math.round(delay);
    if (respondedAt > end) continue;
    const mix = Math.min(
      1,
      (slow ? m.badness.slow : 0) +
        (reopened ? m.badness.reopened : 0) +
        (frustrated ? m.badness.frustrated : 0),
    );
    const score = rng.weighted(
      [1, 2, 3, 4, 5].map((s, i) => [s, m.goodScores[i] * (1 - mix) + m.badScores[i] * mix] as const),
    );
    const comment = rng.chance(m.commentRate)
      ? rng.pick(score <= 2 ? lowComments : score === 3 ? midComments : highComments)
      : null;
    const responseId = options.idBase.response + responses.length;
    responses.push({
      id: responseId,
      sendId: id,
      customerId: ticket.customerId,
      score,
      comment,
      source: channel === "chat" ? "chat" : "page",
      respondedAt: new Date(respondedAt),
    });
    events.push({
      customerId: ticket.customerId,
      ticketId: ticket.id,
      kind: "survey.answered",
      summary: `Satisfaction survey answered: ${score}/5${comment ? ` – “${comment}”` : ""}`,
      actorAgent: null,
      data: { sendId: id, responseId, score, metric: "csat", label: labels[score - 1] },
      occurredAt: new Date(respondedAt),
    });
  }
  events.sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      (a.ticketId ?? 0) - (b.ticketId ?? 0) ||
      a.kind.localeCompare(b.kind),
  );
  return {
    sends,
    responses,
    timeline: events.map((event, i) => ({ ...event, id: options.idBase.timeline + i })),
    badService,
  };
}

/** The questions every demo CSAT send asked (the default wording). */
export const demoSurveyQuestions = builtInQuestions("csat", defaultSettings);
