import { useEffect, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { CustomerDetail, TicketSummary, TimelineItem } from "../../api/api-types.ts";
import { formatDateTime, formatMoney, formatRelativeTime, statusLabel } from "../../lib/format.ts";
import { formatMoneyRounded, riskBandLabel } from "../../lib/risk-format.ts";

type Props = {
  customerId: number;
  currentTicketId: number;
  /** The open ticket's view of the customer's churn risk and predicted value (null until scored). */
  risk: TicketSummary["customerRisk"];
  /** Changes when the open ticket changed, so the panel reloads (new order, new ticket, timeline). */
  refreshKey: string;
  hrefForTicket: (ticketId: number) => string;
  onOpenTicket: (ticketId: number) => void;
};

const identityLabels: Record<string, string> = {
  email: "Email",
  phone: "Phone",
  chat: "Chat",
  external: "External id",
  social: "Social",
};

/** Who the customer is: identities, orders and their value, other tickets and the timeline. */
export function CustomerPanel({
  customerId,
  currentTicketId,
  risk,
  refreshKey,
  hrefForTicket,
  onOpenTicket,
}: Props) {
  const [customer, setCustomer] = useState<CustomerDetail | null>(null);
  const [timeline, setTimeline] = useState<TimelineItem[]>([]);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the signal to reload
  useEffect(() => {
    let cancelled = false;
    Promise.all([api.getCustomer(customerId), api.customerTimeline(customerId)])
      .then(([detail, events]) => {
        if (cancelled) return;
        setCustomer(detail);
        setTimeline(events.items.slice(0, 15));
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught.message : "Could not load the customer");
      });
    return () => {
      cancelled = true;
    };
  }, [customerId, refreshKey]);

  if (error && !customer) {
    return (
      <aside className="customer-pane" aria-label="Customer">
        <p className="form-error">{error}</p>
      </aside>
    );
  }
  if (!customer || customer.id !== customerId) {
    return (
      <aside className="customer-pane" aria-label="Customer" aria-busy="true">
        <p className="empty">Loading customer…</p>
      </aside>
    );
  }

  const otherTickets = customer.tickets.filter((ticket) => ticket.id !== currentTicketId);
  return (
    <aside className="customer-pane" aria-labelledby="customer-name">
      <h2 id="customer-name" className="customer-name">
        {customer.name ?? "Unnamed customer"}
      </h2>
      <p className="muted">
        {customer.organization ? `${customer.organization.name} · ` : ""}
        {customer.tier ? `${customer.tier} · ` : ""}
        customer since {new Date(customer.createdAt).toLocaleDateString()}
      </p>
      {customer.tags.length > 0 && (
        <p className="tags">
          {customer.tags.map((tag) => (
            <span key={tag} className="badge">
              {tag}
            </span>
          ))}
        </p>
      )}

      <h3>Value and risk</h3>
      {risk ? (
        <dl className="risk-facts" data-testid="customer-risk">
          <div>
            <dt>Predicted 12-month value</dt>
            <dd>
              {risk.predictedValueMinor !== null && risk.currency
                ? formatMoneyRounded(risk.predictedValueMinor, risk.currency)
                : "Not enough orders"}
            </dd>
          </div>
          <div>
            <dt>Churn risk</dt>
            <dd>
              <span className={`badge risk-${risk.band}`}>{riskBandLabel(risk.band)}</span> {risk.score}
              <span className="muted"> / 100</span>
            </dd>
          </div>
          {risk.valueAtRiskMinor !== null && risk.currency && risk.valueAtRiskMinor > 0 && (
            <div>
              <dt>Value at risk</dt>
              <dd>{formatMoneyRounded(risk.valueAtRiskMinor, risk.currency)}</dd>
            </div>
          )}
        </dl>
      ) : (
        <p className="muted">Not scored yet.</p>
      )}

      <h3>Identities</h3>
      <dl className="identities">
        {customer.identities.map((identity) => (
          <div key={`${identity.kind}:${identity.value}`}>
            <dt>{identityLabels[identity.kind] ?? identity.kind}</dt>
            <dd>{identity.value}</dd>
          </div>
        ))}
      </dl>

      <h3>Orders</h3>
      <p className="order-summary">
        <strong>{customer.orders.count}</strong> {customer.orders.count === 1 ? "order" : "orders"}
        {customer.orders.totals.length > 0 && (
          <>
            {" · "}
            {customer.orders.totals.map((total, index) => (
              <span key={total.currency}>
                {index > 0 ? " + " : ""}
                <strong>{formatMoney(total.amountMinor, total.currency)}</strong>
              </span>
            ))}{" "}
            total
          </>
        )}
      </p>
      {customer.orders.recent.length > 0 && (
        <ul className="orders">
          {customer.orders.recent.slice(0, 5).map((order) => (
            <li key={order.id}>
              <span>{order.externalId ?? `#${order.id}`}</span>
              <span className="muted">{new Date(order.placedAt).toLocaleDateString()}</span>
              <span className="order-amount">{formatMoney(order.amountMinor, order.currency)}</span>
            </li>
          ))}
        </ul>
      )}

      <h3>Other tickets</h3>
      {otherTickets.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="past-tickets">
          {otherTickets.slice(0, 8).map((ticket) => (
            <li key={ticket.id}>
              <a
                href={hrefForTicket(ticket.id)}
                onClick={(event) => {
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  onOpenTicket(ticket.id);
                }}
              >
                {ticket.subject}
              </a>
              <span className="muted">
                {statusLabel(ticket.status)} · {formatRelativeTime(ticket.lastMessageAt)}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h3>Timeline</h3>
      <ol className="timeline">
        {timeline.map((item) => (
          <li key={item.id}>
            <time dateTime={item.occurredAt} title={formatDateTime(item.occurredAt)}>
              {formatRelativeTime(item.occurredAt)}
            </time>
            <span>{item.summary}</span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
