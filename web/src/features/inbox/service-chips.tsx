import type { TicketSummary } from "../../api/api-types.ts";
import { describeRiskChip } from "../../lib/risk-format.ts";
import { describeInboxSla } from "../../lib/sla-format.ts";

/** The row's SLA clock: next due target and time left, "Breached 2h ago" or paused, coloured by state. */
export function SlaChip({ sla, now }: { sla: TicketSummary["sla"]; now: Date }) {
  const description = describeInboxSla(sla, now);
  if (!description) return null;
  return (
    <span
      className={`badge sla-chip sla-${description.tone}`}
      title={description.label}
      data-testid="sla-chip"
      data-sla-tone={description.tone}
    >
      <span aria-hidden="true">{description.text}</span>
      <span className="visually-hidden">{description.label}</span>
    </span>
  );
}

/** "€420 at risk · high": the customer's predicted value at risk and churn band, when scored. */
export function RiskChip({ risk }: { risk: TicketSummary["customerRisk"] }) {
  const description = describeRiskChip(risk);
  if (!description) return null;
  return (
    <span
      className={`badge risk-chip risk-${description.band}`}
      title={description.label}
      data-testid="risk-chip"
    >
      <span aria-hidden="true">{description.text}</span>
      <span className="visually-hidden">{description.label}</span>
    </span>
  );
}

/** Whether an inbox row needs the agent's eye: an SLA clock breached or breaching soon. */
export function slaFlag(sla: TicketSummary["sla"]): "breached" | "warning" | null {
  if (sla.breached) return "breached";
  if (sla.warning) return "warning";
  return null;
}
