import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { adminApi } from "../../api/admin-api.ts";
import type {
  Channel,
  PublicUser,
  SlaCalendar,
  SlaCalendarBody,
  SlaPolicy,
  SlaPolicyBody,
  Team,
  TicketPriority,
} from "../../api/api-types.ts";
import { formatMinutes } from "../../lib/duration.ts";
import { errorFor, fieldErrorsOf } from "../../lib/field-errors.ts";
import { AdminPageFrame, FieldError, messageOf, splitList, useRevealOnOpen } from "./admin-parts.tsx";

const priorities: TicketPriority[] = ["urgent", "high", "normal", "low"];
const channels: Channel[] = ["email", "chat", "phone", "sms", "social", "web", "api"];
const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

type Errors = Record<string, string>;

function toggle<T>(list: T[] | undefined, item: T, on: boolean): T[] | undefined {
  const next = (list ?? []).filter((value) => value !== item);
  if (on) next.push(item);
  return next.length > 0 ? next : undefined;
}

function describeConditions(policy: SlaPolicy, teams: Team[]): string {
  const c = policy.conditions;
  const parts = [];
  if (c.priorities?.length) parts.push(`priority ${c.priorities.join("/")}`);
  if (c.channels?.length) parts.push(`channel ${c.channels.join("/")}`);
  if (c.customerTiers?.length) parts.push(`tier ${c.customerTiers.join("/")}`);
  if (c.customerTags?.length) parts.push(`tag ${c.customerTags.join("/")}`);
  if (c.teamIds?.length)
    parts.push(`team ${c.teamIds.map((id) => teams.find((t) => t.id === id)?.name ?? `#${id}`).join("/")}`);
  return parts.length > 0 ? parts.join(", ") : "Every ticket";
}

function policyBody(policy: SlaPolicy): SlaPolicyBody {
  const { id: _id, updatedAt: _updatedAt, ...rest } = policy;
  return rest as SlaPolicyBody;
}

/** A number field for a target in minutes; empty means no target. */
function MinutesField(props: {
  label: string;
  field: "firstResponseMinutes" | "nextResponseMinutes" | "resolutionMinutes";
  draft: SlaPolicyBody;
  errors: Errors;
  onChange: (value: number | null) => void;
}) {
  const id = useId();
  const error = props.errors[props.field];
  const value = props.draft[props.field];
  return (
    <div className="field">
      <label htmlFor={id}>{props.label} (business minutes)</label>
      <input
        id={id}
        type="number"
        min={1}
        step={1}
        className="input-narrow"
        value={value ?? ""}
        placeholder="No target"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-err` : `${id}-hint`}
        onChange={(event) => props.onChange(event.target.value === "" ? null : Number(event.target.value))}
      />
      <span id={`${id}-hint`} className="muted field-hint">
        {value ? formatMinutes(value) : "Empty: no target"}
      </span>
      <FieldError id={`${id}-err`} message={error} />
    </div>
  );
}

function PolicyEditor(props: {
  initial: SlaPolicyBody;
  policyId: number | null;
  calendars: SlaCalendar[];
  teams: Team[];
  canEdit: boolean;
  onSaved: (policy: SlaPolicy) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [tiers, setTiers] = useState((props.initial.conditions.customerTiers ?? []).join(", "));
  const [tags, setTags] = useState((props.initial.conditions.customerTags ?? []).join(", "));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const set = (change: Partial<SlaPolicyBody>) => setDraft((current) => ({ ...current, ...change }));
  const setConditions = (change: Partial<SlaPolicyBody["conditions"]>) =>
    setDraft((current) => ({ ...current, conditions: { ...current.conditions, ...change } }));

  const formRef = useRevealOnOpen<HTMLFormElement>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const customerTiers = splitList(tiers);
    const customerTags = splitList(tags);
    const body: SlaPolicyBody = {
      ...draft,
      conditions: {
        ...draft.conditions,
        customerTiers: customerTiers.length > 0 ? customerTiers : undefined,
        customerTags: customerTags.length > 0 ? customerTags : undefined,
      },
    };
    try {
      const saved = props.policyId
        ? await adminApi.updateSlaPolicy(props.policyId, body)
        : await adminApi.createSlaPolicy(body);
      props.onSaved(saved);
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(messageOf(caught, "Could not save the policy"));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) => errorFor(errors, field);
  return (
    <form ref={formRef} className="admin-form" noValidate onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.policyId ? `Edit “${props.initial.name}”` : "New SLA policy"}</h3>
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
              value={draft.name}
              aria-invalid={fieldError("name") ? "true" : undefined}
              aria-describedby={`${id}-name-err`}
              onChange={(event) => set({ name: event.target.value })}
            />
            <FieldError id={`${id}-name-err`} message={fieldError("name")} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-pos`}>Order (lower is tried first)</label>
            <input
              id={`${id}-pos`}
              type="number"
              min={0}
              className="input-narrow"
              value={draft.position}
              aria-describedby={`${id}-pos-err`}
              onChange={(event) => set({ position: Number(event.target.value) })}
            />
            <FieldError id={`${id}-pos-err`} message={fieldError("position")} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-cal`}>Business hours</label>
            <select
              id={`${id}-cal`}
              value={draft.calendarId}
              aria-describedby={`${id}-cal-err`}
              onChange={(event) => set({ calendarId: Number(event.target.value) })}
            >
              {props.calendars.map((calendar) => (
                <option key={calendar.id} value={calendar.id}>
                  {calendar.name}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-cal-err`} message={fieldError("calendarId")} />
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(event) => set({ enabled: event.target.checked })}
            />{" "}
            Enabled
          </label>
        </div>
      </fieldset>

      <fieldset disabled={!props.canEdit || busy}>
        <legend>Applies to tickets with (empty: any)</legend>
        <fieldset className="check-row">
          <legend className="check-row-label">Priority</legend>
          {priorities.map((priority) => (
            <label key={priority} className="check">
              <input
                type="checkbox"
                checked={draft.conditions.priorities?.includes(priority) ?? false}
                onChange={(event) =>
                  setConditions({
                    priorities: toggle(draft.conditions.priorities, priority, event.target.checked),
                  })
                }
              />{" "}
              {priority}
            </label>
          ))}
        </fieldset>
        <fieldset className="check-row">
          <legend className="check-row-label">Channel</legend>
          {channels.map((channel) => (
            <label key={channel} className="check">
              <input
                type="checkbox"
                checked={draft.conditions.channels?.includes(channel) ?? false}
                onChange={(event) =>
                  setConditions({
                    channels: toggle(draft.conditions.channels, channel, event.target.checked),
                  })
                }
              />{" "}
              {channel}
            </label>
          ))}
        </fieldset>
        {props.teams.length > 0 && (
          <fieldset className="check-row">
            <legend className="check-row-label">Team</legend>
            {props.teams.map((team) => (
              <label key={team.id} className="check">
                <input
                  type="checkbox"
                  checked={draft.conditions.teamIds?.includes(team.id) ?? false}
                  onChange={(event) =>
                    setConditions({
                      teamIds: toggle(draft.conditions.teamIds, team.id, event.target.checked),
                    })
                  }
                />{" "}
                {team.name}
              </label>
            ))}
          </fieldset>
        )}
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-tiers`}>Customer tiers (comma-separated)</label>
            <input
              id={`${id}-tiers`}
              type="text"
              value={tiers}
              aria-describedby={`${id}-tiers-err`}
              onChange={(event) => setTiers(event.target.value)}
            />
            <FieldError id={`${id}-tiers-err`} message={fieldError("conditions.customerTiers")} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tags`}>Customer tags (comma-separated)</label>
            <input
              id={`${id}-tags`}
              type="text"
              value={tags}
              aria-describedby={`${id}-tags-err`}
              onChange={(event) => setTags(event.target.value)}
            />
            <FieldError id={`${id}-tags-err`} message={fieldError("conditions.customerTags")} />
          </div>
        </div>
        <FieldError id={`${id}-cond-err`} message={errors.conditions} />
      </fieldset>

      <fieldset disabled={!props.canEdit || busy}>
        <legend>Targets</legend>
        <div className="form-grid">
          <MinutesField
            label="First response"
            field="firstResponseMinutes"
            draft={draft}
            errors={errors}
            onChange={(value) => set({ firstResponseMinutes: value })}
          />
          <MinutesField
            label="Next response"
            field="nextResponseMinutes"
            draft={draft}
            errors={errors}
            onChange={(value) => set({ nextResponseMinutes: value })}
          />
          <MinutesField
            label="Resolution"
            field="resolutionMinutes"
            draft={draft}
            errors={errors}
            onChange={(value) => set({ resolutionMinutes: value })}
          />
          <div className="field">
            <label htmlFor={`${id}-warn`}>Warn when this share of a target has passed (%)</label>
            <input
              id={`${id}-warn`}
              type="number"
              min={1}
              max={99}
              className="input-narrow"
              value={Math.round(draft.warnShare * 100)}
              aria-invalid={errors.warnShare ? "true" : undefined}
              aria-describedby={`${id}-warn-err`}
              onChange={(event) => set({ warnShare: Number(event.target.value) / 100 })}
            />
            <FieldError id={`${id}-warn-err`} message={errors.warnShare} />
          </div>
        </div>
      </fieldset>

      <fieldset disabled={!props.canEdit || busy}>
        <legend>On breach</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.escalation.raisePriority ?? false}
            onChange={(event) =>
              set({ escalation: { ...draft.escalation, raisePriority: event.target.checked } })
            }
          />{" "}
          Raise the priority
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.escalation.notifyLead ?? false}
            onChange={(event) =>
              set({ escalation: { ...draft.escalation, notifyLead: event.target.checked } })
            }
          />{" "}
          Notify the team lead
        </label>
        <div className="field">
          <label htmlFor={`${id}-reassign`}>Reassign to team</label>
          <select
            id={`${id}-reassign`}
            value={draft.escalation.reassignTeamId ?? ""}
            onChange={(event) =>
              set({
                escalation: {
                  ...draft.escalation,
                  reassignTeamId: event.target.value ? Number(event.target.value) : null,
                },
              })
            }
          >
            <option value="">Keep the team</option>
            {props.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-reassign-err`} message={fieldError("escalation")} />
        </div>
      </fieldset>
      <div className="row">
        {props.canEdit && (
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save policy"}
          </button>
        )}
        <button type="button" className="button" onClick={props.onCancel}>
          {props.canEdit ? "Cancel" : "Close"}
        </button>
      </div>
    </form>
  );
}

function emptyCalendar(): SlaCalendarBody {
  return {
    name: "",
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })),
    holidays: [],
  };
}

const timezones: string[] = (() => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
})();

function CalendarEditor(props: {
  initial: SlaCalendarBody;
  calendarId: number | null;
  canEdit: boolean;
  onSaved: (calendar: SlaCalendar) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const setHours = (index: number, change: Partial<SlaCalendarBody["weekly"][number]>) =>
    setDraft((current) => ({
      ...current,
      weekly: current.weekly.map((row, i) => (i === index ? { ...row, ...change } : row)),
    }));
  const setHoliday = (index: number, change: Partial<SlaCalendarBody["holidays"][number]>) =>
    setDraft((current) => ({
      ...current,
      holidays: current.holidays.map((row, i) => (i === index ? { ...row, ...change } : row)),
    }));

  const formRef = useRevealOnOpen<HTMLFormElement>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const body = {
      ...draft,
      holidays: draft.holidays.map((holiday) => (holiday.name ? holiday : { date: holiday.date })),
    };
    try {
      const saved = props.calendarId
        ? await adminApi.updateSlaCalendar(props.calendarId, body)
        : await adminApi.createSlaCalendar(body);
      props.onSaved(saved);
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(messageOf(caught, "Could not save the calendar"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="admin-form" noValidate onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.calendarId ? `Edit “${props.initial.name}”` : "New business hours"}</h3>
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
              value={draft.name}
              aria-describedby={`${id}-name-err`}
              onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            />
            <FieldError id={`${id}-name-err`} message={errors.name} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tz`}>Time zone</label>
            <input
              id={`${id}-tz`}
              type="text"
              list={`${id}-tz-list`}
              value={draft.timezone}
              aria-invalid={errors.timezone ? "true" : undefined}
              aria-describedby={`${id}-tz-err`}
              onChange={(event) => setDraft({ ...draft, timezone: event.target.value })}
            />
            <datalist id={`${id}-tz-list`}>
              {timezones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <FieldError id={`${id}-tz-err`} message={errors.timezone} />
          </div>
        </div>
      </fieldset>
      <fieldset disabled={!props.canEdit || busy}>
        <legend>Open hours (several per day for split days; an end before the start runs overnight)</legend>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.weekly.map((row, index) => {
              const rowError = errorFor(errors, `weekly.${index}`);
              const label = `${weekdays[row.day - 1] ?? "Day"}, row ${index + 1}`;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
                <tr key={index}>
                  <td>
                    <select
                      aria-label={`Day of row ${index + 1}`}
                      value={row.day}
                      onChange={(event) => setHours(index, { day: Number(event.target.value) })}
                    >
                      {weekdays.map((name, day) => (
                        <option key={name} value={day + 1}>
                          {name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="text"
                      className="input-time"
                      aria-label={`${label}: from`}
                      value={row.start}
                      aria-invalid={errors[`weekly.${index}.start`] ? "true" : undefined}
                      onChange={(event) => setHours(index, { start: event.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="text"
                      className="input-time"
                      aria-label={`${label}: to`}
                      value={row.end}
                      aria-invalid={errors[`weekly.${index}.end`] ? "true" : undefined}
                      aria-describedby={rowError ? `${id}-w${index}-err` : undefined}
                      onChange={(event) => setHours(index, { end: event.target.value })}
                    />
                    <FieldError id={`${id}-w${index}-err`} message={rowError} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Remove ${label}`}
                      onClick={() =>
                        setDraft({ ...draft, weekly: draft.weekly.filter((_, i) => i !== index) })
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <FieldError id={`${id}-weekly-err`} message={errors.weekly} />
        <div className="row">
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              setDraft({ ...draft, weekly: [...draft.weekly, { day: 1, start: "09:00", end: "17:00" }] })
            }
          >
            Add hours
          </button>
        </div>
      </fieldset>
      <fieldset disabled={!props.canEdit || busy}>
        <legend>Holidays (closed all day)</legend>
        {draft.holidays.length === 0 && <p className="muted">No holidays.</p>}
        {draft.holidays.map((holiday, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          <div className="row" key={index}>
            <input
              type="date"
              aria-label={`Holiday ${index + 1}: date`}
              value={holiday.date}
              aria-invalid={errorFor(errors, `holidays.${index}`) ? "true" : undefined}
              onChange={(event) => setHoliday(index, { date: event.target.value })}
            />
            <input
              type="text"
              aria-label={`Holiday ${index + 1}: name`}
              placeholder="Name (optional)"
              value={holiday.name ?? ""}
              onChange={(event) => setHoliday(index, { name: event.target.value })}
            />
            <button
              type="button"
              className="button button-small"
              onClick={() => setDraft({ ...draft, holidays: draft.holidays.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
            <FieldError id={`${id}-h${index}-err`} message={errorFor(errors, `holidays.${index}`)} />
          </div>
        ))}
        <div className="row">
          <button
            type="button"
            className="button button-small"
            onClick={() => setDraft({ ...draft, holidays: [...draft.holidays, { date: "" }] })}
          >
            Add a holiday
          </button>
        </div>
      </fieldset>
      <div className="row">
        {props.canEdit && (
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save business hours"}
          </button>
        )}
        <button type="button" className="button" onClick={props.onCancel}>
          {props.canEdit ? "Cancel" : "Close"}
        </button>
      </div>
    </form>
  );
}

type Editing =
  | { kind: "policy"; id: number | null; body: SlaPolicyBody }
  | { kind: "calendar"; id: number | null; body: SlaCalendarBody }
  | null;

/** SLA policies (which tickets get which targets) and business-hours calendars; admins change them. */
export function SlaSettingsPage({ me }: { me: PublicUser }) {
  const [policies, setPolicies] = useState<SlaPolicy[] | null>(null);
  const [calendars, setCalendars] = useState<SlaCalendar[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const canEdit = me.role === "admin";
  const ids = useId();

  const load = useCallback(async () => {
    try {
      const [p, c, t] = await Promise.all([
        adminApi.slaPolicies(),
        adminApi.slaCalendars(),
        adminApi.teams(),
      ]);
      setPolicies(p.items);
      setCalendars(c.items);
      setTeams(t.items);
    } catch (caught) {
      setError(messageOf(caught, "Could not load the SLA settings"));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (what: "policy" | "calendar", id: number, name: string) => {
    if (!window.confirm(`Delete “${name}”?`)) return;
    setError(null);
    try {
      if (what === "policy") await adminApi.deleteSlaPolicy(id);
      else await adminApi.deleteSlaCalendar(id);
      setNotice(`Deleted “${name}”.`);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  const calendarName = (id: number) => calendars.find((calendar) => calendar.id === id)?.name ?? `#${id}`;

  return (
    <AdminPageFrame
      title="SLA policies"
      intro={
        canEdit
          ? "Each ticket gets the first enabled policy whose conditions it meets. Changes re-apply to open tickets at once."
          : "Each ticket gets the first enabled policy whose conditions it meets. Only admins can change these."
      }
      notice={notice}
      error={error}
      busy={!policies && !error}
    >
      {editing?.kind === "policy" && (
        <PolicyEditor
          key={`p-${editing.id}`}
          initial={editing.body}
          policyId={editing.id}
          calendars={calendars}
          teams={teams}
          canEdit={canEdit}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved “${saved.name}”. Open tickets now follow it.`);
            void load();
          }}
        />
      )}
      {editing?.kind === "calendar" && (
        <CalendarEditor
          key={`c-${editing.id}`}
          initial={editing.body}
          calendarId={editing.id}
          canEdit={canEdit}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved “${saved.name}”: ${saved.description}`);
            void load();
          }}
        />
      )}
      <section className="admin-card" aria-labelledby={`${ids}-policies`}>
        <div className="admin-card-head">
          <h2 id={`${ids}-policies`}>Policies</h2>
          {canEdit && calendars.length > 0 && (
            <button
              type="button"
              className="button"
              onClick={() =>
                setEditing({
                  kind: "policy",
                  id: null,
                  body: {
                    name: "",
                    position: 100,
                    enabled: true,
                    conditions: {},
                    firstResponseMinutes: 60,
                    nextResponseMinutes: null,
                    resolutionMinutes: null,
                    calendarId: calendars[0].id,
                    warnShare: 0.75,
                    escalation: {},
                  },
                })
              }
            >
              New policy
            </button>
          )}
        </div>
        {policies && policies.length === 0 && (
          <p className="empty">No SLA policies: tickets have no targets.</p>
        )}
        {policies && policies.length > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Applies to</th>
                <th scope="col">First response</th>
                <th scope="col">Next response</th>
                <th scope="col">Resolution</th>
                <th scope="col">Hours</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {policies.map((policy) => (
                <tr key={policy.id} className={policy.enabled ? undefined : "row-disabled"}>
                  <th scope="row">
                    {policy.name}
                    {!policy.enabled && <span className="muted"> (off)</span>}
                  </th>
                  <td>{describeConditions(policy, teams)}</td>
                  <td>{formatMinutes(policy.firstResponseMinutes)}</td>
                  <td>{formatMinutes(policy.nextResponseMinutes)}</td>
                  <td>{formatMinutes(policy.resolutionMinutes)}</td>
                  <td>{calendarName(policy.calendarId)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`${canEdit ? "Edit" : "View"} ${policy.name}`}
                      onClick={() => setEditing({ kind: "policy", id: policy.id, body: policyBody(policy) })}
                    >
                      {canEdit ? "Edit" : "View"}
                    </button>
                    {canEdit && (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Delete ${policy.name}`}
                        onClick={() => void remove("policy", policy.id, policy.name)}
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
      </section>
      <section className="admin-card" aria-labelledby={`${ids}-calendars`}>
        <div className="admin-card-head">
          <h2 id={`${ids}-calendars`}>Business hours</h2>
          {canEdit && (
            <button
              type="button"
              className="button"
              onClick={() => setEditing({ kind: "calendar", id: null, body: emptyCalendar() })}
            >
              New business hours
            </button>
          )}
        </div>
        <ul className="plain-list">
          {calendars.map((calendar) => (
            <li key={calendar.id}>
              <strong>{calendar.name}</strong> <span className="muted">({calendar.timezone})</span>
              <p className="muted">
                {calendar.description}
                {calendar.holidays.length > 0 && ` · ${calendar.holidays.length} holiday(s)`}
              </p>
              <div className="row">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`${canEdit ? "Edit" : "View"} ${calendar.name}`}
                  onClick={() =>
                    setEditing({
                      kind: "calendar",
                      id: calendar.id,
                      body: {
                        name: calendar.name,
                        timezone: calendar.timezone,
                        weekly: calendar.weekly,
                        holidays: calendar.holidays,
                      },
                    })
                  }
                >
                  {canEdit ? "Edit" : "View"}
                </button>
                {canEdit && (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Delete ${calendar.name}`}
                    onClick={() => void remove("calendar", calendar.id, calendar.name)}
                  >
                    Delete
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </AdminPageFrame>
  );
}
