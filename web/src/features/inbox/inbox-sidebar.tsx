import type { PublicUser, TicketCounts, TicketView } from "../../api/api-types.ts";
import type { LiveState } from "../../api/use-tend-events.ts";

export const viewLabels: Record<TicketView, string> = {
  mine: "My tickets",
  unassigned: "Unassigned",
  open: "All open",
  pending: "Pending",
  solved: "Solved",
  all: "All tickets",
};

const sidebarViews: TicketView[] = ["mine", "unassigned", "open", "pending", "solved", "all"];

type Props = {
  me: PublicUser;
  view: TicketView;
  counts: TicketCounts | null;
  live: LiveState;
  onSelectView: (view: TicketView) => void;
  onSignOut: () => void;
  onShowHelp: () => void;
};

export function InboxSidebar({ me, view, counts, live, onSelectView, onSignOut, onShowHelp }: Props) {
  return (
    <nav className="sidebar" aria-label="Inbox views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          T
        </span>
        Tend
      </div>
      <ul className="view-list">
        {sidebarViews.map((item) => (
          <li key={item}>
            <a
              href={`/inbox/${item}`}
              className="view-link"
              aria-current={item === view ? "page" : undefined}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onSelectView(item);
              }}
            >
              <span>{viewLabels[item]}</span>
              <span className="count" data-testid={`count-${item}`}>
                {counts ? counts[item] : "–"}
                <span className="visually-hidden"> tickets</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">
        <p className={`live-state live-${live}`}>
          <span className="live-dot" aria-hidden="true" />
          {live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}
        </p>
        <button type="button" className="link-button" onClick={onShowHelp}>
          Keyboard shortcuts <kbd>?</kbd>
        </button>
        <p className="me" title={me.email}>
          Signed in as <strong>{me.name}</strong>
        </p>
        <button type="button" className="button button-quiet" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </nav>
  );
}
