// How the inbox and the ticket page put SLA clocks into words. Remaining time is business time as the server
// computed it (only the server knows the calendar); "breached … ago" is wall time since the breach.
import type { SlaMetric, SlaTargetState, TicketSla } from "../api/api-types.ts";

export type SlaTone = "ok" | "warning" | "breached" | "paused" | "met";

export type SlaDescription = {
  tone: SlaTone;
  /** Short words for a chip or panel row: "1h 30m left", "Breached 2h ago", "Paused", "Met". */
  text: string;
  /** The whole sentence for screen readers and tooltips. */
  label: string;
};

const metricLabels: Record<SlaMetric, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};

const shortMetricLabels: Record<SlaMetric, string> = {
  first_response: "1st reply",
  next_response: "Next reply",
  resolution: "Resolve",
};

export function slaMetricLabel(metric: SlaMetric): string {
  return metricLabels[metric];
}

/** Business minutes as hours and minutes ("45m", "2h", "1h 30m", "40h"): business days have no fixed length. */
export function formatBusinessMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(Math.abs(minutes)));
  if (total < 60) return `${total}m`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** Wall time since a moment, coarsely: "just now", "5m ago", "2h ago", "3d ago". */
export function formatAgo(iso: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

/** One clock's state in words and tone; null when the policy sets no target for it. */
export function describeSlaTarget(target: SlaTargetState, now: Date): SlaDescription | null {
  if (target.targetMinutes === null) return null;
  const name = metricLabels[target.metric];
  if (target.completedAt !== null) {
    return target.breached
      ? { tone: "breached", text: "Missed", label: `${name}: target missed` }
      : { tone: "met", text: "Met", label: `${name}: target met` };
  }
  if (target.breached) {
    const since = target.breachedAt ?? target.dueAt;
    if (since !== null) {
      const ago = formatAgo(since, now);
      const text = ago === "just now" ? "Breached just now" : `Breached ${ago}`;
      return { tone: "breached", text, label: `${name}: ${text.toLowerCase()}` };
    }
    const over = formatBusinessMinutes(-(target.remainingMinutes ?? 0));
    return {
      tone: "breached",
      text: `Breached, ${over} over`,
      label: `${name}: breached, ${over} of business time over the target`,
    };
  }
  const left = target.remainingMinutes === null ? null : formatBusinessMinutes(target.remainingMinutes);
  if (target.paused) {
    return {
      tone: "paused",
      text: left ? `Paused, ${left} left` : "Paused",
      label: `${name}: paused while waiting on the customer${left ? `, ${left} of business time left` : ""}`,
    };
  }
  if (left === null) return null;
  if (target.warning) {
    return {
      tone: "warning",
      text: `${left} left`,
      label: `${name}: breaching soon, ${left} of business time left`,
    };
  }
  return { tone: "ok", text: `${left} left`, label: `${name}: ${left} of business time left` };
}

/**
 * The clock an inbox row shows: a breached one still open first, then the one due next, then a paused one.
 * Null when nothing is running (no policy, or every target met).
 */
export function pickInboxSlaTarget(sla: TicketSla): SlaTargetState | null {
  const open = sla.targets.filter((target) => target.completedAt === null && target.targetMinutes !== null);
  const breached = open.find((target) => target.breached && target.remainingMinutes !== null);
  if (breached) return breached;
  const due =
    open.find((target) => target.metric === sla.dueMetric && !target.paused) ??
    open
      .filter((target) => !target.paused && target.dueAt !== null)
      .sort((a, b) => (a.dueAt ?? "").localeCompare(b.dueAt ?? ""))[0];
  if (due) return due;
  return open.find((target) => target.paused) ?? null;
}

/** The inbox chip: a short metric name with the state ("1st reply · 1h 30m left"), or null for no clock. */
export function describeInboxSla(sla: TicketSla, now: Date): (SlaDescription & { metric: SlaMetric }) | null {
  const target = pickInboxSlaTarget(sla);
  if (!target) return null;
  const description = describeSlaTarget(target, now);
  if (!description) return null;
  return {
    ...description,
    metric: target.metric,
    text: `${shortMetricLabels[target.metric]} · ${description.text}`,
    label: `SLA ${description.label.charAt(0).toLowerCase()}${description.label.slice(1)}`,
  };
}

/** The due time in the agent's own time zone, with the weekday when it is not today. */
export function formatDueTime(iso: string, now: Date): string {
  const due = new Date(iso);
  const sameDay = due.toDateString() === now.toDateString();
  return due.toLocaleString(undefined, {
    ...(sameDay ? {} : { weekday: "short", day: "numeric", month: "short" }),
    hour: "2-digit",
    minute: "2-digit",
  });
}
