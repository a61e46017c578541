import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { adminApi } from "../../api/admin-api.ts";
import { api } from "../../api/api-client.ts";
import type {
  Macro,
  MacroBody,
  MacroResult,
  MacroVariable,
  PublicUser,
  Team,
  TicketPriority,
  TicketStatus,
  UserListItem,
} from "../../api/api-types.ts";
import { hasRole } from "../../lib/admin-pages.ts";
import { fieldErrorsOf } from "../../lib/field-errors.ts";
import { previewMacroText } from "../../lib/macro-preview.ts";
import { AdminPageFrame, FieldError, messageOf, splitList, useRevealOnOpen } from "./admin-parts.tsx";

const statuses: TicketStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
const priorities: TicketPriority[] = ["low", "normal", "high", "urgent"];

function describeActions(macro: Macro, users: UserListItem[], teams: Team[]): string {
  const a = macro.actions;
  const parts = [];
  if (a.status) parts.push(`status ${a.status}`);
  if (a.priority) parts.push(`priority ${a.priority}`);
  if (a.addTags?.length) parts.push(`+${a.addTags.join(", +")}`);
  if (a.removeTags?.length) parts.push(`−${a.removeTags.join(", −")}`);
  if (a.assignee === "me") parts.push("assign to the agent");
  else if (a.assignee === null) parts.push("unassign");
  else if (a.assignee !== undefined)
    parts.push(`assign to ${users.find((u) => u.id === a.assignee)?.name ?? `#${a.assignee}`}`);
  if (a.teamId) parts.push(`team ${teams.find((t) => t.id === a.teamId)?.name ?? `#${a.teamId}`}`);
  return parts.join(" · ") || "Text only";
}

function MacroEditor(props: {
  initial: MacroBody;
  macroId: number | null;
  canEdit: boolean;
  variables: MacroVariable[];
  users: UserListItem[];
  teams: Team[];
  onSaved: (macro: Macro) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [addTags, setAddTags] = useState((props.initial.actions.addTags ?? []).join(", "));
  const [removeTags, setRemoveTags] = useState((props.initial.actions.removeTags ?? []).join(", "));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ticketId, setTicketId] = useState("");
  const [ticketPreview, setTicketPreview] = useState<MacroResult | null>(null);
  const [ticketPreviewError, setTicketPreviewError] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const preview = previewMacroText(draft.body);
  const actions = draft.actions;
  const setActions = (change: Partial<MacroBody["actions"]>) =>
    setDraft((current) => ({ ...current, actions: { ...current.actions, ...change } }));

  const insert = (name: string) => {
    const text = `{{${name}}}`;
    const area = bodyRef.current;
    const at = area?.selectionStart ?? draft.body.length;
    const end = area?.selectionEnd ?? at;
    setDraft({ ...draft, body: draft.body.slice(0, at) + text + draft.body.slice(end) });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + text.length, at + text.length);
    });
  };

  const formRef = useRevealOnOpen<HTMLFormElement>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    const add = splitList(addTags);
    const remove = splitList(removeTags);
    const body: MacroBody = {
      ...draft,
      actions: {
        ...actions,
        addTags: add.length ? add : undefined,
        removeTags: remove.length ? remove : undefined,
      },
    };
    try {
      const saved = props.macroId
        ? await adminApi.updateMacro(props.macroId, body)
        : await adminApi.createMacro(body);
      props.onSaved(saved);
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(messageOf(caught, "Could not save the macro"));
    } finally {
      setBusy(false);
    }
  };

  const previewOnTicket = async () => {
    if (!props.macroId) return;
    setTicketPreviewError(null);
    setTicketPreview(null);
    try {
      setTicketPreview(await adminApi.previewMacro(Number(ticketId), props.macroId));
    } catch (caught) {
      setTicketPreviewError(messageOf(caught, "Could not preview on that ticket"));
    }
  };

  const assigneeValue =
    actions.assignee === undefined ? "" : actions.assignee === null ? "none" : String(actions.assignee);
  return (
    <form ref={formRef} className="admin-form" noValidate onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.macroId ? `Edit “${props.initial.title}”` : "New macro"}</h3>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="macro-layout">
        <fieldset disabled={!props.canEdit || busy}>
          <legend>Text</legend>
          <div className="field">
            <label htmlFor={`${id}-title-input`}>Title</label>
            <input
              id={`${id}-title-input`}
              type="text"
              value={draft.title}
              aria-invalid={errors.title ? "true" : undefined}
              aria-describedby={`${id}-title-err`}
              onChange={(event) => setDraft({ ...draft, title: event.target.value })}
            />
            <FieldError id={`${id}-title-err`} message={errors.title} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-body`}>Reply text</label>
            <textarea
              id={`${id}-body`}
              ref={bodyRef}
              rows={8}
              value={draft.body}
              aria-invalid={errors.body || preview.error ? "true" : undefined}
              aria-describedby={`${id}-body-err`}
              onChange={(event) => setDraft({ ...draft, body: event.target.value })}
            />
            <FieldError id={`${id}-body-err`} message={errors.body ?? preview.error ?? undefined} />
          </div>
          <details>
            <summary>Insert a variable</summary>
            <ul className="plain-list">
              {props.variables.map((variable) => (
                <li key={variable.name}>
                  <button type="button" className="link-button" onClick={() => insert(variable.name)}>
                    <code>{`{{${variable.name}}}`}</code>
                  </button>{" "}
                  <span className="muted">{variable.description}</span>
                </li>
              ))}
            </ul>
          </details>
        </fieldset>
        <section className="admin-card" aria-labelledby={`${id}-preview`}>
          <h4 id={`${id}-preview`}>Preview with sample values</h4>
          <pre className="macro-preview" aria-live="polite" data-testid="macro-preview">
            {preview.error ? "" : preview.text}
          </pre>
          {props.macroId && (
            <div className="inline-form">
              <label>
                Ticket #{" "}
                <input
                  type="number"
                  min={1}
                  className="input-narrow"
                  value={ticketId}
                  onChange={(event) => setTicketId(event.target.value)}
                />
              </label>
              <button
                type="button"
                className="button button-small"
                disabled={!ticketId}
                onClick={() => void previewOnTicket()}
              >
                Preview saved macro on this ticket
              </button>
            </div>
          )}
          {ticketPreviewError && (
            <p className="form-error" role="alert">
              {ticketPreviewError}
            </p>
          )}
          {ticketPreview && (
            <>
              <pre className="macro-preview">{ticketPreview.text}</pre>
              <p className="muted">
                Changes:{" "}
                {Object.keys(ticketPreview.changes).length === 0
                  ? "none"
                  : Object.entries(ticketPreview.changes)
                      .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
                      .join(", ")}
              </p>
            </>
          )}
        </section>
      </div>
      <fieldset disabled={!props.canEdit || busy}>
        <legend>Also change the ticket</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-status`}>Status</label>
            <select
              id={`${id}-status`}
              value={actions.status ?? ""}
              onChange={(event) =>
                setActions({ status: (event.target.value || undefined) as TicketStatus | undefined })
              }
            >
              <option value="">Keep</option>
              {statuses.map((status) => (
                <option key={status} value={status}>
                  {status.replace("_", " ")}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-priority`}>Priority</label>
            <select
              id={`${id}-priority`}
              value={actions.priority ?? ""}
              onChange={(event) =>
                setActions({ priority: (event.target.value || undefined) as TicketPriority | undefined })
              }
            >
              <option value="">Keep</option>
              {priorities.map((priority) => (
                <option key={priority} value={priority}>
                  {priority}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-assignee`}>Assignee</label>
            <select
              id={`${id}-assignee`}
              value={assigneeValue}
              onChange={(event) => {
                const value = event.target.value;
                setActions({
                  assignee:
                    value === ""
                      ? undefined
                      : value === "none"
                        ? null
                        : value === "me"
                          ? "me"
                          : Number(value),
                });
              }}
            >
              <option value="">Keep</option>
              <option value="me">The agent using it</option>
              <option value="none">Nobody (unassign)</option>
              {props.users.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-assignee-err`} message={errors["actions.assignee"]} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-team`}>Team</label>
            <select
              id={`${id}-team`}
              value={
                actions.teamId === undefined ? "" : actions.teamId === null ? "none" : String(actions.teamId)
              }
              onChange={(event) => {
                const value = event.target.value;
                setActions({ teamId: value === "" ? undefined : value === "none" ? null : Number(value) });
              }}
            >
              <option value="">Keep</option>
              <option value="none">No team</option>
              {props.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-add`}>Add tags (comma-separated)</label>
            <input
              id={`${id}-add`}
              type="text"
              value={addTags}
              aria-describedby={`${id}-add-err`}
              onChange={(event) => setAddTags(event.target.value)}
            />
            <FieldError id={`${id}-add-err`} message={errors["actions.addTags"]} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-remove`}>Remove tags (comma-separated)</label>
            <input
              id={`${id}-remove`}
              type="text"
              value={removeTags}
              aria-describedby={`${id}-remove-err`}
              onChange={(event) => setRemoveTags(event.target.value)}
            />
            <FieldError id={`${id}-remove-err`} message={errors["actions.removeTags"]} />
          </div>
        </div>
      </fieldset>
      <div className="row">
        {props.canEdit && (
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save macro"}
          </button>
        )}
        <button type="button" className="button" onClick={props.onCancel}>
          {props.canEdit ? "Cancel" : "Close"}
        </button>
      </div>
    </form>
  );
}

/** Macros (canned replies with ticket changes): every agent uses them, leads write them. */
export function MacrosPage({ me }: { me: PublicUser }) {
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [variables, setVariables] = useState<MacroVariable[]>([]);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [editing, setEditing] = useState<{ id: number | null; body: MacroBody } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const canEdit = hasRole(me.role, "lead");

  const load = useCallback(async () => {
    try {
      const [m, v, u, t] = await Promise.all([
        adminApi.macros(),
        adminApi.macroVariables(),
        api.listUsers(),
        adminApi.teams(),
      ]);
      setMacros(m.items);
      setVariables(v.items);
      setUsers(u.items);
      setTeams(t.items);
    } catch (caught) {
      setError(messageOf(caught, "Could not load the macros"));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (macro: Macro) => {
    if (!window.confirm(`Delete the macro “${macro.title}”?`)) return;
    try {
      await adminApi.deleteMacro(macro.id);
      setNotice(`Deleted “${macro.title}”.`);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  };

  return (
    <AdminPageFrame
      title="Macros"
      intro={
        canEdit
          ? "Canned replies agents insert into a reply; {{variables}} are filled from the ticket."
          : "Canned replies you can insert into a reply. Team leads write them."
      }
      notice={notice}
      error={error}
      busy={!macros && !error}
      actions={
        canEdit && (
          <button
            type="button"
            className="button"
            onClick={() =>
              setEditing({
                id: null,
                body: { title: "", body: "Hi {{customer.first_name}},\n\n", actions: {}, position: 100 },
              })
            }
          >
            New macro
          </button>
        )
      }
    >
      {editing && (
        <MacroEditor
          key={editing.id ?? "new"}
          initial={editing.body}
          macroId={editing.id}
          canEdit={canEdit}
          variables={variables}
          users={users}
          teams={teams}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`Saved “${saved.title}”.`);
            void load();
          }}
        />
      )}
      {macros && macros.length === 0 && <p className="empty">No macros yet.</p>}
      {macros && macros.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Macro</th>
              <th scope="col">Changes</th>
              <th scope="col" className="num">
                Used
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {macros.map((macro) => (
              <tr key={macro.id}>
                <th scope="row">{macro.title}</th>
                <td>{describeActions(macro, users, teams)}</td>
                <td className="num">{macro.usageCount}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`${canEdit ? "Edit" : "View"} ${macro.title}`}
                    onClick={() => {
                      const { id, usageCount: _u, updatedAt: _t, ...body } = macro;
                      setEditing({ id, body });
                    }}
                  >
                    {canEdit ? "Edit" : "View"}
                  </button>
                  {canEdit && (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Delete ${macro.title}`}
                      onClick={() => void remove(macro)}
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
