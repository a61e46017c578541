import { useEffect, useState } from "react";
import type {
  TicketDetail,
  TicketPriority,
  TicketStatus,
  TicketUpdate,
  UserListItem,
} from "../../api/api-types.ts";
import { priorityLabel, statusLabel } from "../../lib/format.ts";

const statuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
const priorities: TicketPriority[] = ["low", "normal", "high", "urgent"];

type Props = {
  ticket: TicketDetail;
  users: UserListItem[];
  onUpdate: (update: TicketUpdate) => void;
};

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** Status, priority, assignee and tags of the open ticket; each change is saved at once. */
export function TicketControls({ ticket, users, onUpdate }: Props) {
  const [tags, setTags] = useState(ticket.tags.join(", "));
  useEffect(() => setTags(ticket.tags.join(", ")), [ticket.tags]);

  const saveTags = () => {
    const next = parseTags(tags);
    if (next.join(",") !== ticket.tags.join(",")) onUpdate({ tags: next });
  };

  return (
    <div className="controls">
      <div className="control">
        <label htmlFor="ticket-status">Status</label>
        <select
          id="ticket-status"
          value={ticket.status}
          onChange={(event) => onUpdate({ status: event.target.value as TicketStatus })}
        >
          {statuses.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="control">
        <label htmlFor="ticket-priority">Priority</label>
        <select
          id="ticket-priority"
          value={ticket.priority}
          onChange={(event) => onUpdate({ priority: event.target.value as TicketPriority })}
        >
          {priorities.map((priority) => (
            <option key={priority} value={priority}>
              {priorityLabel(priority)}
            </option>
          ))}
        </select>
      </div>
      <div className="control">
        <label htmlFor="ticket-assignee">Assignee</label>
        <select
          id="ticket-assignee"
          value={ticket.assignee ? String(ticket.assignee.id) : ""}
          onChange={(event) =>
            onUpdate({ assigneeId: event.target.value ? Number(event.target.value) : null })
          }
        >
          <option value="">Unassigned</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name}
            </option>
          ))}
        </select>
      </div>
      <div className="control control-tags">
        <label htmlFor="ticket-tags">Tags</label>
        <input
          id="ticket-tags"
          value={tags}
          placeholder="comma, separated"
          onChange={(event) => setTags(event.target.value)}
          onBlur={saveTags}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              saveTags();
            }
          }}
        />
      </div>
    </div>
  );
}
