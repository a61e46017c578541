import type { TicketSla } from "../../api/api-types.ts";
import { describeSlaTarget, formatDueTime, slaMetricLabel } from "../../lib/sla-format.ts";
import { useNow } from "../../lib/use-now.ts";

/**
 * The ticket's SLA clocks, one per target: state (time left in business hours, paused, breached, met) and the due
 * time in the agent's own time zone. Nothing when the ticket has no policy.
 */
export function SlaPanel({ sla }: { sla: TicketSla }) {
  const now = useNow();
  const rows = sla.targets
    .map((target) => ({ target, description: describeSlaTarget(target, now) }))
    .filter((row) => row.description !== null);
  if (rows.length === 0) return null;
  return (
    <section className="sla-panel" aria-labelledby="sla-panel-title">
      <h3 id="sla-panel-title" className="sla-panel-title">
        SLA <span className="muted">(business hours)</span>
      </h3>
      <ul className="sla-targets">
        {rows.map(({ target, description }) => {
          if (!description) return null;
          const when = target.completedAt ?? target.dueAt;
          return (
            <li
              key={target.metric}
              className={`sla-target sla-${description.tone}`}
              data-testid={`sla-${target.metric}`}
              aria-label={description.label}
            >
              <span className="sla-target-name">{slaMetricLabel(target.metric)}</span>
              <strong className="sla-target-state">{description.text}</strong>
              {when ? (
                <time dateTime={when} className="sla-target-due" title={new Date(when).toLocaleString()}>
                  {target.completedAt ? "at" : "due"} {formatDueTime(when, now)}
                </time>
              ) : (
                <span className="sla-target-due">{target.paused ? "waiting on the customer" : ""}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
