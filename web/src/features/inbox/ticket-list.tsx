import { useEffect, useRef } from "react";
import type { TicketSummary } from "../../api/api-types.ts";
import { formatDateTime, formatRelativeTime, priorityLabel, statusLabel } from "../../lib/format.ts";

type Props = {
  title: string;
  items: TicketSummary[];
  status: "loading" | "ready" | "error";
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  cursorId: number | null;
  openTicketId: number | null;
  hrefFor: (ticketId: number) => string;
  onOpen: (ticketId: number) => void;
  onLoadMore: () => void;
  /** Move DOM focus to the cursor row when j/k moves it. */
  focusCursor: number;
};

export function TicketList(props: Props) {
  const { items, cursorId, openTicketId, focusCursor } = props;
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (focusCursor === 0 || cursorId === null) return;
    const link = listRef.current?.querySelector<HTMLAnchorElement>(`a[data-ticket-id="${cursorId}"]`);
    link?.focus();
    link?.scrollIntoView({ block: "nearest" });
  }, [focusCursor, cursorId]);

  return (
    <section className="list-pane" aria-labelledby="list-title">
      <h2 id="list-title" className="pane-title">
        {props.title}
      </h2>
      {props.status === "loading" && <p className="empty">Loading tickets…</p>}
      {props.status === "error" && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      {props.status === "ready" && items.length === 0 && <p className="empty">No tickets here. Nice.</p>}
      <ol className="ticket-list" ref={listRef}>
        {items.map((ticket) => (
          <li
            key={ticket.id}
            className={`ticket-row${ticket.id === cursorId ? " is-cursor" : ""}${ticket.id === openTicketId ? " is-open" : ""}`}
          >
            <a
              href={props.hrefFor(ticket.id)}
              data-ticket-id={ticket.id}
              aria-current={ticket.id === openTicketId ? "page" : undefined}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                props.onOpen(ticket.id);
              }}
            >
              <span className="row-top">
                <span className="row-customer">
                  {ticket.customer.name || ticket.customer.email || "Unknown"}
                </span>
                <time dateTime={ticket.lastMessageAt} title={formatDateTime(ticket.lastMessageAt)}>
                  {formatRelativeTime(ticket.lastMessageAt)}
                </time>
              </span>
              <span className="row-subject">{ticket.subject}</span>
              <span className="row-preview">{ticket.preview}</span>
              <span className="row-meta">
                <span className={`badge status-${ticket.status}`}>{statusLabel(ticket.status)}</span>
                {ticket.priority !== "normal" && (
                  <span className={`badge priority-${ticket.priority}`}>
                    {priorityLabel(ticket.priority)}
                  </span>
                )}
                <span className="row-assignee">{ticket.assignee ? ticket.assignee.name : "Unassigned"}</span>
                <span className="row-id">#{ticket.id}</span>
              </span>
            </a>
          </li>
        ))}
      </ol>
      {props.hasMore && (
        <button
          type="button"
          className="button button-quiet load-more"
          onClick={props.onLoadMore}
          disabled={props.loadingMore}
        >
          {props.loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
