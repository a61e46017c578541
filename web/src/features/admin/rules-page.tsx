import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { adminApi } from "../../api/admin-api.ts";
import { api } from "../../api/api-client.ts";
import type {
  Macro,
  PublicUser,
  Rule,
  RuleAction,
  RuleBody,
  RuleCondition,
  RuleEvent,
  Team,
  TicketPriority,
  TicketStatus,
  UserListItem,
} from "../../api/api-types.ts";
import { errorFor, fieldErrorsOf } from "../../lib/field-errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { AdminPageFrame, FieldError, messageOf, splitList, useRevealOnOpen } from "./admin-parts.tsx";

const eventLabels: Record<RuleEvent, string> = {
  "ticket.created": "A ticket is created",
  "message.received": "A customer message arrives",
  "ticket.status_changed": "A ticket's status changes",
  "sla.warning": "An SLA target is about to be missed",
};

type FieldKind = "value" | "text" | "list" | "number";
const fieldKinds: Record<RuleCondition["field"], FieldKind> = {
  "ticket.priority": "value",
  "ticket.status": "value",
  "ticket.channel": "value",
  "ticket.team_id": "value",
  "ticket.assignee_id": "value",
  "customer.tier": "value",
  "customer.email_domain": "value",
  "status.from": "value",
  "status.to": "value",
  "sla.metric": "value",
  "ticket.frustration_level": "value",
  "customer.risk_band": "value",
  "ticket.frustration_score": "number",
  "ticket.subject": "text",
  "message.text": "text",
  "ticket.tags": "list",
  "customer.tags": "list",
};
const fieldLabels: Record<RuleCondition["field"], string> = {
  "ticket.priority": "Priority",
  "ticket.status": "Status",
  "ticket.channel": "Channel",
  "ticket.team_id": "Team id",
  "ticket.assignee_id": "Assignee id",
  "customer.tier": "Customer tier",
  "customer.email_domain": "Customer email domain",
  "status.from": "Status changed from",
  "status.to": "Status changed to",
  "sla.metric": "SLA target (first_response, next_response, resolution)",
  "ticket.frustration_level": "Customer frustration (none, mild, high)",
  "customer.risk_band": "Customer churn risk (low, medium, high)",
  "ticket.frustration_score": "Frustration score (0 to 1)",
  "ticket.subject": "Subject",
  "message.text": "Message text",
  "ticket.tags": "Ticket tags",
  "customer.tags": "Customer tags",
};
const operatorsByKind: Record<FieldKind, { value: RuleCondition["operator"]; label: string }[]> = {
  value: [
    { value: "is", label: "is" },
    { value: "is_not", label: "is not" },
    { value: "in", label: "is one of" },
    { value: "not_in", label: "is none of" },
    { value: "is_set", label: "is set" },
    { value: "is_not_set", label: "is not set" },
  ],
  text: [
    { value: "contains_any", label: "mentions any of" },
    { value: "contains_none", label: "mentions none of" },
  ],
  list: [
    { value: "includes_any", label: "include any of" },
    { value: "includes_none", label: "include none of" },
  ],
  number: [{ value: "at_least", label: "is at least" }],
};
const numericFields = new Set(["ticket.team_id", "ticket.assignee_id"]);

const actionLabels: Record<RuleAction["type"], string> = {
  set_priority: "Set priority",
  set_status: "Set status",
  add_tags: "Add tags",
  remove_tags: "Remove tags",
  assign_team: "Assign to team",
  assign_agent: "Assign to agent",
  apply_macro: "Reply with macro",
  send_webhook: "Send a webhook",
};
const priorities: TicketPriority[] = ["low", "normal", "high", "urgent"];
const statuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];

/** A condition row as the form edits it: the value as typed. */
type ConditionDraft = { field: RuleCondition["field"]; operator: RuleCondition["operator"]; text: string };

function conditionToDraft(condition: RuleCondition): ConditionDraft {
  const value = "value" in condition ? condition.value : null;
  const text = Array.isArray(value)
    ? value.map((item) => String(item ?? "")).join(", ")
    : String(value ?? "");
  return { field: condition.field, operator: condition.operator, text };
}

function draftToCondition(draft: ConditionDraft): RuleCondition {
  const scalar = (text: string) =>
    numericFields.has(draft.field) && /^\d+$/.test(text) ? Number(text) : text;
  switch (draft.operator) {
    case "is_set":
    case "is_not_set":
      return { field: draft.field, operator: draft.operator } as RuleCondition;
    case "at_least":
      return { field: draft.field, operator: "at_least", value: Number(draft.text.trim()) } as RuleCondition;
    case "is":
    case "is_not":
      return {
        field: draft.field,
        operator: draft.operator,
        value: scalar(draft.text.trim()),
      } as RuleCondition;
    default: {
      const list = splitList(draft.text);
      const values = draft.operator === "in" || draft.operator === "not_in" ? list.map(scalar) : list;
      return { field: draft.field, operator: draft.operator, value: values } as RuleCondition;
    }
  }
}

function newAction(type: RuleAction["type"]): RuleAction {
  switch (type) {
    case "set_priority":
      return { type, value: "high" };
    case "set_status":
      return { type, value: "open" };
    case "add_tags":
    case "remove_tags":
      return { type, value: [] };
    case "send_webhook":
      return { type, url: "https://" };
    default:
      return { type, value: 0 };
  }
}

function ConditionList(props: {
  title: string;
  path: "conditions.all" | "conditions.any";
  items: ConditionDraft[];
  errors: Record<string, string>;
  onChange: (items: ConditionDraft[]) => void;
}) {
  const update = (index: number, change: Partial<ConditionDraft>) =>
    props.onChange(props.items.map((item, i) => (i === index ? { ...item, ...change } : item)));
  return (
    <fieldset>
      <legend>{props.title}</legend>
      {props.items.length === 0 && <p className="muted">None.</p>}
      {props.items.map((item, index) => {
        const kind = fieldKinds[item.field];
        const needsValue = item.operator !== "is_set" && item.operator !== "is_not_set";
        const error = errorFor(props.errors, `${props.path}.${index}`);
        const name = `${props.title} ${index + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="rule-part" key={index}>
            <select
              aria-label={`${name}: field`}
              value={item.field}
              onChange={(event) => {
                const field = event.target.value as RuleCondition["field"];
                const operator =
                  fieldKinds[field] === kind ? item.operator : operatorsByKind[fieldKinds[field]][0].value;
                update(index, { field, operator });
              }}
            >
              {(Object.keys(fieldLabels) as RuleCondition["field"][]).map((field) => (
                <option key={field} value={field}>
                  {fieldLabels[field]}
                </option>
              ))}
            </select>
            <select
              aria-label={`${name}: test`}
              value={item.operator}
              onChange={(event) =>
                update(index, { operator: event.target.value as RuleCondition["operator"] })
              }
            >
              {operatorsByKind[kind].map((operator) => (
                <option key={operator.value} value={operator.value}>
                  {operator.label}
                </option>
              ))}
            </select>
            {needsValue && (
              <input
                type="text"
                aria-label={`${name}: value${item.operator === "is" || item.operator === "is_not" ? "" : " (comma-separated)"}`}
                value={item.text}
                aria-invalid={error ? "true" : undefined}
                onChange={(event) => update(index, { text: event.target.value })}
              />
            )}
            <button
              type="button"
              className="button button-small"
              aria-label={`Remove ${name}`}
              onClick={() => props.onChange(props.items.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            <FieldError id={`${props.path}-${index}`} message={error} />
          </div>
        );
      })}
      <div className="row">
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            props.onChange([...props.items, { field: "ticket.subject", operator: "contains_any", text: "" }])
          }
        >
          Add a condition
        </button>
      </div>
    </fieldset>
  );
}

function ActionEditor(props: {
  action: RuleAction;
  index: number;
  teams: Team[];
  users: UserListItem[];
  macros: Macro[];
  onChange: (action: RuleAction) => void;
}) {
  const { action, index } = props;
  const label = `Action ${index + 1}`;
  switch (action.type) {
    case "set_priority":
      return (
        <select
          aria-label={`${label}: priority`}
          value={action.value}
          onChange={(event) =>
            props.onChange({ type: action.type, value: event.target.value as TicketPriority })
          }
        >
          {priorities.map((priority) => (
            <option key={priority}>{priority}</option>
          ))}
        </select>
      );
    case "set_status":
      return (
        <select
          aria-label={`${label}: status`}
          value={action.value}
          onChange={(event) =>
            props.onChange({ type: action.type, value: event.target.value as TicketStatus })
          }
        >
          {statuses.map((status) => (
            <option key={status}>{status}</option>
          ))}
        </select>
      );
    case "add_tags":
    case "remove_tags":
      return (
        <TagsInput
          label={`${label}: tags (comma-separated)`}
          value={action.value}
          onChange={(value) => props.onChange({ type: action.type, value })}
        />
      );
    case "send_webhook":
      return (
        <>
          <input
            type="url"
            aria-label={`${label}: URL`}
            value={action.url}
            onChange={(event) => props.onChange({ ...action, url: event.target.value })}
          />
          <input
            type="text"
            aria-label={`${label}: signing secret (optional, 16+ characters)`}
            placeholder="Signing secret (optional)"
            value={action.secret ?? ""}
            onChange={(event) => props.onChange({ ...action, secret: event.target.value || undefined })}
          />
        </>
      );
    default: {
      const options =
        action.type === "assign_team"
          ? props.teams.map((team) => ({ id: team.id, name: team.name }))
          : action.type === "assign_agent"
            ? props.users.map((user) => ({ id: user.id, name: user.name }))
            : props.macros.map((macro) => ({ id: macro.id, name: macro.title }));
      return (
        <select
          aria-label={`${label}: ${action.type === "assign_team" ? "team" : action.type === "assign_agent" ? "agent" : "macro"}`}
          value={action.value || ""}
          onChange={(event) => props.onChange({ type: action.type, value: Number(event.target.value) })}
        >
          <option value="">Choose…</option>
          {options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </select>
      );
    }
  }
}

function TagsInput(props: { label: string; value: string[]; onChange: (value: string[]) => void }) {
  const [text, setText] = useState(props.value.join(", "));
  return (
    <input
      type="text"
      aria-label={props.label}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        props.onChange(splitList(event.target.value));
      }}
    />
  );
}

function RuleEditor(props: {
  initial: RuleBody;
  ruleId: number | null;
  canEdit: boolean;
  teams: Team[];
  users: UserListItem[];
  macros: Macro[];
  onSaved: (rule: Rule) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(props.initial.name);
  const [enabled, setEnabled] = useState(props.initial.enabled);
  const [position, setPosition] = useState(props.initial.position);
  const [events, setEvents] = useState(props.initial.events);
  const [all, setAll] = useState(props.initial.conditions.all.map(conditionToDraft));
  const [any, setAny] = useState(props.initial.conditions.any.map(conditionToDraft));
  const [actions, setActions] = useState(props.initial.actions);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const formRef = useRevealOnOpen<HTMLFormElement>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const body: RuleBody = {
      name,
      enabled,
      position,
      events,
      conditions: { all: all.map(draftToCondition), any: any.map(draftToCondition) },
      actions,
    };
    try {
      const saved = props.ruleId
        ? await adminApi.updateRule(props.ruleId, body)
        : await adminApi.createRule(body);
      props.onSaved(saved);
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(messageOf(caught, "Could not save the rule"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="admin-form" noValidate onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.ruleId ? `Edit “${props.initial.name}”` : "New rule"}</h3>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <fieldset disabled={!props.canEdit || busy}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              type="text"
              value={name}
              aria-describedby={`${id}-name-err`}
              onChange={(event) => setName(event.target.value)}
            />
            <FieldError id={`${id}-name-err`} message={errors.name} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-pos`}>Order (lower runs first)</label>
            <input
              id={`${id}-pos`}
              type="number"
              min={0}
              className="input-narrow"
              value={position}
              onChange={(event) => setPosition(Number(event.target.value))}
            />
            <FieldError id={`${id}-pos-err`} message={errors.position} />
          </div>
          <label className="check">
            <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />{" "}
            Enabled
          </label>
        </div>
      </fieldset>
      <fieldset disabled={!props.canEdit || busy}>
        <legend>When</legend>
        {(Object.keys(eventLabels) as RuleEvent[]).map((eventName) => (
          <label key={eventName} className="check">
            <input
              type="checkbox"
              checked={events.includes(eventName)}
              onChange={(event) =>
                setEvents(
                  event.target.checked ? [...events, eventName] : events.filter((item) => item !== eventName),
                )
              }
            />{" "}
            {eventLabels[eventName]}
          </label>
        ))}
        <FieldError id={`${id}-events-err`} message={errorFor(errors, "events")} />
      </fieldset>
      <fieldset disabled={!props.canEdit || busy} className="plain-fieldset">
        <legend>If</legend>
        <ConditionList title="All of" path="conditions.all" items={all} errors={errors} onChange={setAll} />
        <ConditionList title="Any of" path="conditions.any" items={any} errors={errors} onChange={setAny} />
      </fieldset>
      <fieldset disabled={!props.canEdit || busy}>
        <legend>Then</legend>
        {actions.map((action, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="rule-part" key={index}>
            <select
              aria-label={`Action ${index + 1}`}
              value={action.type}
              onChange={(event) =>
                setActions(
                  actions.map((item, i) =>
                    i === index ? newAction(event.target.value as RuleAction["type"]) : item,
                  ),
                )
              }
            >
              {(Object.keys(actionLabels) as RuleAction["type"][]).map((type) => (
                <option key={type} value={type}>
                  {actionLabels[type]}
                </option>
              ))}
            </select>
            <ActionEditor
              action={action}
              index={index}
              teams={props.teams}
              users={props.users}
              macros={props.macros}
              onChange={(next) => setActions(actions.map((item, i) => (i === index ? next : item)))}
            />
            <button
              type="button"
              className="button button-small"
              aria-label={`Remove action ${index + 1}`}
              onClick={() => setActions(actions.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            <FieldError id={`${id}-a${index}-err`} message={errorFor(errors, `actions.${index}`)} />
          </div>
        ))}
        <FieldError id={`${id}-actions-err`} message={errors.actions} />
        <div className="row">
          <button
            type="button"
            className="button button-small"
            onClick={() => setActions([...actions, newAction("add_tags")])}
          >
            Add an action
          </button>
        </div>
      </fieldset>
      <div className="row">
        {props.canEdit && (
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save rule"}
          </button>
        )}
        <button type="button" className="button" onClick={props.onCancel}>
          {props.canEdit ? "Cancel" : "Close"}
        </button>
      </div>
    </form>
  );
}

function ruleBody(rule: Rule): RuleBody {
  const { id: _id, fireCount: _f, lastFiredAt: _l, updatedAt: _u, ...body } = rule;
  return body;
}

/** Automation rules: "when EVENT, if CONDITIONS, then ACTIONS". Leads read them; admins change them. */
export function RulesPage({ me }: { me: PublicUser }) {
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [macros, setMacros] = useState<Macro[]>([]);
  const [editing, setEditing] = useState<{ id: number | null; body: RuleBody } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const canEdit = me.role === "admin";

  const load = useCallback(async () => {
    try {
      const [r, t, u, m] = await Promise.all([
        adminApi.rules(),
        adminApi.teams(),
        api.listUsers(),
        adminApi.macros(),
      ]);
      setRules(r.items);
      setTeams(t.items);
      setUsers(u.items);
      setMacros(m.items);
    } catch (caught) {
      setError(messageOf(caught, "Could not load the rules"));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const setEnabled = async (rule: Rule, enabled: boolean) => {
    setError(null);
    // Shown at once; the list reloads from the server either way, so a refused change springs back.
    setRules(
      (current) => current?.map((item) => (item.id === rule.id ? { ...item, enabled } : item)) ?? current,
    );
    try {
      await adminApi.updateRule(rule.id, { ...ruleBody(rule), enabled });
      setNotice(`“${rule.name}” is ${enabled ? "on" : "off"}.`);
    } catch (caught) {
      setError(messageOf(caught));
    }
    await load();
  };

  const remove = async (rule: Rule) => {
    if (!window.confirm(`Delete the rule “${rule.name}”?`)) return;
    try {
      await adminApi.deleteRule(rule.id);
      setNotice(`Deleted “${rule.name}”.`);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <AdminPageFrame
      title="Rules"
      intro={
        canEdit
          ? "When an event happens and the conditions hold, the actions run, in order."
          : "When an event happens and the conditions hold, the actions run. Only admins can change rules."
      }
      notice={notice}
      error={error}
      busy={!rules && !error}
      actions={
        canEdit && (
          <button
            type="button"
            className="button"
            onClick={() =>
              setEditing({
                id: null,
                body: {
                  name: "",
                  enabled: true,
                  position: 100,
                  events: ["ticket.created"],
                  conditions: { all: [], any: [] },
                  actions: [newAction("add_tags")],
                },
              })
            }
          >
            New rule
          </button>
        )
      }
    >
      {editing && (
        <RuleEditor
          key={editing.id ?? "new"}
          initial={editing.body}
          ruleId={editing.id}
          canEdit={canEdit}
          teams={teams}
          users={users}
          macros={macros}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved “${saved.name}”.`);
            void load();
          }}
        />
      )}
      {rules && rules.length === 0 && <p className="empty">No rules yet.</p>}
      {rules && rules.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">When</th>
              <th scope="col">Then</th>
              <th scope="col">On</th>
              <th scope="col" className="num">
                Fired
              </th>
              <th scope="col">Last fired</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} className={rule.enabled ? undefined : "row-disabled"}>
                <th scope="row">{rule.name}</th>
                <td>{rule.events.map((event) => eventLabels[event]).join("; ")}</td>
                <td>{rule.actions.map((action) => actionLabels[action.type]).join(", ")}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${rule.name} enabled`}
                    checked={rule.enabled}
                    disabled={!canEdit}
                    onChange={(event) => void setEnabled(rule, event.target.checked)}
                  />
                </td>
                <td className="num">{rule.fireCount}</td>
                <td>{rule.lastFiredAt ? formatDateTime(rule.lastFiredAt) : "Never"}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`${canEdit ? "Edit" : "View"} ${rule.name}`}
                    onClick={() => setEditing({ id: rule.id, body: ruleBody(rule) })}
                  >
                    {canEdit ? "Edit" : "View"}
                  </button>
                  {canEdit && (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Delete ${rule.name}`}
                      onClick={() => void remove(rule)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminPageFrame>
  );
}
