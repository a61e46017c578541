import { useEffect, useRef } from "react";
import type { SearchSnippet, TicketListItem, TicketListOrder } from "../../api/api-types.ts";
import { formatDateTime, formatRelativeTime, priorityLabel, statusLabel } from "../../lib/format.ts";
import { parseHighlight } from "../../lib/highlight.ts";
import { useNow } from "../../lib/use-now.ts";
import { FrustrationBadge } from "../ticket/frustration-badge.tsx";
import { RiskChip, SlaChip, slaFlag } from "./service-chips.tsx";

type Props = {
  title: string;
  /** How the API sorted the list; the open views' "frustrated first" is said beside the title. */
  order?: TicketListOrder;
  items: TicketListItem[];
  /** Set while the list shows search results. */
  search: { q: string; matches: number | null; capped: boolean; filtered: boolean } | null;
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

const fieldLabels: Record<string, string> = {
  name: "Customer name",
  email: "Customer email",
  phone: "Customer phone",
  chat: "Chat id",
  external: "External id",
  social: "Social account",
};

function snippetLabel(snippet: SearchSnippet): string {
  if (snippet.source === "subject") return "Subject";
  if (snippet.source === "customer") return fieldLabels[snippet.field] ?? "Customer";
  const kind = snippet.isInternal
    ? "Internal note"
    : snippet.direction === "inbound"
      ? "Customer wrote"
      : "Reply";
  return `${kind} · ${formatDateTime(snippet.createdAt)}`;
}

/** A snippet's highlighted text as React nodes (never innerHTML). */
export function HighlightedText({ html }: { html: string }) {
  return (
    <>
      {parseHighlight(html).map((part, index) =>
        part.marked ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <mark key={index}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

function Snippets({ snippets }: { snippets: SearchSnippet[] }) {
  return (
    <span className="row-snippets">
      {snippets.slice(0, 2).map((snippet) => (
        <span
          key={`${snippet.source}-${snippet.source === "message" ? snippet.messageId : snippet.source === "customer" ? snippet.field : ""}`}
          className={`row-snippet${snippet.source === "message" && snippet.isInternal ? " is-internal" : ""}`}
        >
          <span className="snippet-label">{snippetLabel(snippet)}</span>{" "}
          <span className="snippet-text">
            <HighlightedText html={snippet.html} />
          </span>
        </span>
      ))}
    </span>
  );
}

function SearchEmpty({ q, filtered }: { q: string; filtered: boolean }) {
  return (
    <div className="empty search-empty">
      <p>No tickets match “{q}”.</p>
      <ul>
        {filtered && <li>Clear the filters: they apply to the search.</li>}
        <li>Use fewer words: every word must appear in the same message, subject or customer.</li>
        <li>Check the spelling, or type the start of a word.</li>
        <li>Paste an order number (TW-31574), an email address or a phone number.</li>
        <li>
          Use <kbd>"quotes"</kbd> for an exact phrase, <kbd>-word</kbd> to leave a word out, <kbd>or</kbd> for
          either.
        </li>
      </ul>
    </div>
  );
}

export const frustratedFirstExplained =
  "Customers who sound frustrated come first, then annoyed ones, then everyone else; each group by latest activity.";

export function TicketList(props: Props) {
  const { items, cursorId, openTicketId, focusCursor } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const now = useNow();

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
        {props.order === "frustration" && !props.search && (
          <span className="sort-note" title={frustratedFirstExplained}>
            <span className="visually-hidden">, </span>
            Frustrated first
          </span>
        )}
      </h2>
      {props.status === "loading" && <p className="empty">Loading tickets…</p>}
      {props.status === "error" && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      {props.status === "ready" && props.search && props.search.matches !== null && items.length > 0 && (
        <p className="search-summary" aria-live="polite">
          {props.search.capped
            ? `${props.search.matches.toLocaleString()}+ tickets: best of the most recent matches. Add words or filters to narrow.`
            : `${props.search.matches.toLocaleString()} ${props.search.matches === 1 ? "ticket" : "tickets"}, best match first`}
        </p>
      )}
      {props.status === "ready" &&
        items.length === 0 &&
        (props.search ? (
          <SearchEmpty q={props.search.q} filtered={props.search.filtered} />
        ) : (
          <p className="empty">No tickets here. Nice.</p>
        ))}
      <ol className="ticket-list" ref={listRef}>
        {items.map((ticket) => (
          <li
            key={ticket.id}
            className={`ticket-row${ticket.id === cursorId ? " is-cursor" : ""}${ticket.id === openTicketId ? " is-open" : ""}${slaFlag(ticket.sla) ? ` sla-flag-${slaFlag(ticket.sla)}` : ""}`}
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
              {ticket.match && ticket.match.snippets.length > 0 ? (
                <Snippets snippets={ticket.match.snippets} />
              ) : (
                <span className="row-preview">{ticket.preview}</span>
              )}
              <span className="row-meta">
                <span className={`badge status-${ticket.status}`}>{statusLabel(ticket.status)}</span>
                {ticket.priority !== "normal" && (
                  <span className={`badge priority-${ticket.priority}`}>
                    {priorityLabel(ticket.priority)}
                  </span>
                )}
                <FrustrationBadge frustration={ticket.frustration} />
                <span className="row-assignee">{ticket.assignee ? ticket.assignee.name : "Unassigned"}</span>
                <span className="row-id">#{ticket.id}</span>
              </span>
              <span className="row-service">
                <SlaChip sla={ticket.sla} now={now} />
                <RiskChip risk={ticket.customerRisk} />
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
