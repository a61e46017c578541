import { type ReactNode, useState } from "react";
import type { AgentStatus, PublicUser, TicketCounts, TicketView } from "../../api/api-types.ts";
import type { LiveState } from "../../api/use-tend-events.ts";
import { retentionPath } from "../../lib/app-route.ts";

export const viewLabels: Record<TicketView, string> = {
  mine: "My tickets",
  unassigned: "Unassigned",
  open: "All open",
  pending: "Pending",
  solved: "Solved",
  all: "All tickets",
  breaching: "Breaching soon",
  recover: "Recover",
  value_at_risk: "Value at risk",
  frustrated: "Frustrated",
};

const sidebarViews: TicketView[] = [
  "mine",
  "unassigned",
  "open",
  "breaching",
  "recover",
  "value_at_risk",
  "frustrated",
  "pending",
  "solved",
  "all",
];

type Props = {
  me: PublicUser;
  view: TicketView;
  counts: TicketCounts | null;
  live: LiveState;
  /** The agent's availability for live chat (null until loaded). */
  status: AgentStatus | null;
  onChangeStatus: (status: AgentStatus) => Promise<void>;
  onSelectView: (view: TicketView) => void;
  onSignOut: () => void;
  onShowHelp: () => void;
  /** The notifications bell, beside the brand. */
  bell?: ReactNode;
};

const statusLabels: Record<AgentStatus, string> = {
  online: "Online",
  away: "Away",
  offline: "Offline",
};

function StatusPicker({
  status,
  onChange,
}: {
  status: AgentStatus | null;
  onChange: Props["onChangeStatus"];
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={`agent-status status-${status ?? "unknown"}`}>
      <label htmlFor="agent-status">Your status</label>
      <select
        id="agent-status"
        value={status ?? ""}
        disabled={status === null}
        onChange={(event) => {
          setError(null);
          onChange(event.target.value as AgentStatus).catch(() => setError("Could not change your status"));
        }}
      >
        {status === null && <option value="">Loading…</option>}
        {(Object.keys(statusLabels) as AgentStatus[]).map((value) => (
          <option key={value} value={value}>
            {statusLabels[value]}
          </option>
        ))}
      </select>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function InboxSidebar(props: Props) {
  const { me, view, counts, live, onSelectView, onSignOut, onShowHelp } = props;
  return (
    <nav className="sidebar" aria-label="Inbox views">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          T
        </span>
        Tend
        {props.bell}
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
      {me.role !== "agent" && (
        <a className="sidebar-link sidebar-insight" href={retentionPath}>
          Retention
        </a>
      )}

      <div className="sidebar-footer">
        <StatusPicker status={props.status} onChange={props.onChangeStatus} />
        {me.role !== "agent" && (
          <>
            <a className="sidebar-link" href="/team">
              Team
            </a>
            <a className="sidebar-link" href="/reports/sla">
              Reports
            </a>
          </>
        )}
        <a className="sidebar-link" href={me.role === "agent" ? "/settings/chat" : "/settings/sla"}>
          Settings
        </a>
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
