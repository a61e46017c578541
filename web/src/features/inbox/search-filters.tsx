import type { ListFilters } from "../../lib/app-route.ts";

type Props = { filters: ListFilters; onChange: (filters: ListFilters) => void };

const statusOptions: [string, string][] = [
  ["", "Any status"],
  ["new,open", "Open"],
  ["pending,on_hold", "Pending or on hold"],
  ["solved,closed", "Solved or closed"],
];
const assigneeOptions: [string, string][] = [
  ["", "Anyone"],
  ["me", "Me"],
  ["none", "Unassigned"],
];
const channelOptions: [string, string][] = [
  ["", "Any channel"],
  ["email", "Email"],
  ["chat", "Chat"],
  ["phone", "Phone"],
  ["sms", "SMS"],
  ["social", "Social"],
  ["web", "Web form"],
  ["api", "API"],
];

/** The search's filters: they narrow the ranked results (and the API applies them to the inbox list too). */
export function SearchFilters({ filters, onChange }: Props) {
  const set = (key: keyof ListFilters, value: string) => {
    const next = { ...filters };
    if (value) next[key] = value;
    else delete next[key];
    onChange(next);
  };
  const active = Object.values(filters).some(Boolean);
  return (
    <fieldset className="search-filters">
      <legend className="visually-hidden">Filter the search</legend>
      <label>
        <span className="visually-hidden">Status</span>
        <select value={filters.status ?? ""} onChange={(event) => set("status", event.target.value)}>
          {statusOptions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Assignee</span>
        <select value={filters.assignee ?? ""} onChange={(event) => set("assignee", event.target.value)}>
          {assigneeOptions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Channel</span>
        <select value={filters.channel ?? ""} onChange={(event) => set("channel", event.target.value)}>
          {channelOptions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Tag</span>
        <input
          type="text"
          placeholder="Tag"
          defaultValue={filters.tag ?? ""}
          onBlur={(event) => set("tag", event.target.value.trim())}
          onKeyDown={(event) => {
            if (event.key === "Enter") set("tag", event.currentTarget.value.trim());
          }}
        />
      </label>
      <label>
        <span className="filter-label">Created from</span>
        <input
          type="date"
          value={filters.createdFrom ?? ""}
          onChange={(event) => set("createdFrom", event.target.value)}
        />
      </label>
      <label>
        <span className="filter-label">to</span>
        <input
          type="date"
          value={filters.createdTo ?? ""}
          onChange={(event) => set("createdTo", event.target.value)}
        />
      </label>
      {active && (
        <button type="button" className="button button-quiet" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </fieldset>
  );
}
