import type { SlaConditionsJson } from "../../db/schema.ts";
import type { SlaMetric, SlaTargets } from "./sla-clock.ts";

/** The ticket facts a policy's conditions look at. */
export type PolicyFacts = {
  priority: string;
  channel: string;
  teamId: number | null;
  customerTier: string | null;
  customerTags: string[];
};

export type PolicyTargets = {
  id: number;
  conditions: SlaConditionsJson;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnShare: number;
};

const lower = (values: string[]) => values.map((value) => value.trim().toLowerCase());

/**
 * Whether every condition a policy sets matches (an empty or absent list matches anything). Customer tags match
 * when the customer has any of the listed tags; tiers and tags compare case-insensitively.
 */
export function policyMatches(conditions: SlaConditionsJson, facts: PolicyFacts): boolean {
  if (conditions.priorities?.length && !conditions.priorities.includes(facts.priority)) return false;
  if (conditions.channels?.length && !conditions.channels.includes(facts.channel)) return false;
  if (conditions.teamIds?.length && (facts.teamId === null || !conditions.teamIds.includes(facts.teamId))) {
    return false;
  }
  if (conditions.customerTiers?.length) {
    if (facts.customerTier === null) return false;
    if (!lower(conditions.customerTiers).includes(facts.customerTier.trim().toLowerCase())) return false;
  }
  if (conditions.customerTags?.length) {
    const tags = new Set(lower(facts.customerTags));
    if (!lower(conditions.customerTags).some((tag) => tags.has(tag))) return false;
  }
  return true;
}

/** The first policy (in the given order) whose conditions match, or null. */
export function selectPolicy<P extends PolicyTargets>(policies: P[], facts: PolicyFacts): P | null {
  return policies.find((policy) => policyMatches(policy.conditions, facts)) ?? null;
}

const minute = 60_000;

/** A policy's targets in milliseconds of business time; no policy means no targets (time is still measured). */
export function targetsOf(policy: PolicyTargets | null): SlaTargets {
  const ms = (minutes: number | null) => (minutes === null ? null : minutes * minute);
  const targets: Record<SlaMetric, number | null> = {
    first_response: ms(policy?.firstResponseMinutes ?? null),
    next_response: ms(policy?.nextResponseMinutes ?? null),
    resolution: ms(policy?.resolutionMinutes ?? null),
  };
  return { policyId: policy?.id ?? null, targets, warnShare: policy?.warnShare ?? 0.75 };
}
