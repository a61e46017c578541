import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";
import { adminApi } from "../../api/admin-api.ts";
import type { PublicUser, SurveySettings } from "../../api/api-types.ts";
import { fieldErrorsOf } from "../../lib/field-errors.ts";
import { AdminPageFrame, FieldError, messageOf } from "./admin-parts.tsx";

type Errors = Record<string, string>;

function Field(props: {
  label: string;
  path: string;
  errors: Errors;
  children: (id: string, describedBy: string) => ReactNode;
}) {
  const id = useId();
  const error = props.errors[props.path];
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, `${id}-err`)}
      <FieldError id={`${id}-err`} message={error} />
    </div>
  );
}

function NumberInput(props: {
  label: string;
  path: string;
  value: number;
  errors: Errors;
  step?: number;
  onChange: (value: number) => void;
}) {
  return (
    <Field label={props.label} path={props.path} errors={props.errors}>
      {(id, describedBy) => (
        <input
          id={id}
          type="number"
          step={props.step ?? 1}
          className="input-narrow"
          value={props.value}
          aria-invalid={props.errors[props.path] ? "true" : undefined}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange(Number(event.target.value))}
        />
      )}
    </Field>
  );
}

const wordingLabels: Record<Exclude<keyof SurveySettings["wording"], "csatStyle">, string> = {
  csat: "CSAT question",
  ces: "CES question",
  nps: "NPS question",
  npsReason: "NPS follow-up question",
  checkIn: "Order check-in question",
  comment: "Comment prompt",
};

/** Survey timing, cadence, contact budget, wording and low-score recovery. Leads read; admins change. */
export function SurveySettingsPage({ me }: { me: PublicUser }) {
  const [draft, setDraft] = useState<SurveySettings | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const canEdit = me.role === "admin";

  useEffect(() => {
    adminApi
      .surveySettings()
      .then(setDraft)
      .catch((caught: unknown) => setError(messageOf(caught, "Could not load the survey settings")));
  }, []);

  if (!draft) {
    return (
      <AdminPageFrame title="Survey settings" error={error} busy={!error}>
        {!error && <p>Loading…</p>}
      </AdminPageFrame>
    );
  }

  const set = <K extends keyof SurveySettings>(key: K, change: Partial<SurveySettings[K]>) =>
    setDraft({ ...draft, [key]: { ...(draft[key] as object), ...change } });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setError(null);
    setNotice("");
    try {
      setDraft(await adminApi.saveSurveySettings(draft));
      setNotice("Saved. New surveys follow these settings.");
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(messageOf(caught, "Could not save"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AdminPageFrame
      title="Survey settings"
      intro={canEdit ? undefined : "Only admins can change these settings."}
      notice={notice}
      error={error}
    >
      <form className="admin-form" noValidate onSubmit={save}>
        <fieldset disabled={!canEdit || busy}>
          <legend>After a solved ticket</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.resolution.enabled}
              onChange={(event) => set("resolution", { enabled: event.target.checked })}
            />{" "}
            Send a survey
          </label>
          <div className="form-grid">
            <Field label="Metric" path="resolution.metric" errors={errors}>
              {(id) => (
                <select
                  id={id}
                  value={draft.resolution.metric}
                  onChange={(event) => set("resolution", { metric: event.target.value as "csat" | "ces" })}
                >
                  <option value="csat">CSAT (satisfaction)</option>
                  <option value="ces">CES (effort)</option>
                </select>
              )}
            </Field>
            <NumberInput
              label="Delay after solving (hours)"
              path="resolution.delayHours"
              value={draft.resolution.delayHours}
              errors={errors}
              step={0.5}
              onChange={(delayHours) => set("resolution", { delayHours })}
            />
            <NumberInput
              label="Can be answered for (days)"
              path="responseWindowDays"
              value={draft.responseWindowDays}
              errors={errors}
              onChange={(responseWindowDays) => setDraft({ ...draft, responseWindowDays })}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={draft.resolution.inChat}
                onChange={(event) => set("resolution", { inChat: event.target.checked })}
              />{" "}
              Ask in the chat widget when a chat ends
            </label>
          </div>
        </fieldset>
        <fieldset disabled={!canEdit || busy}>
          <legend>Relationship NPS</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.relationshipNps.enabled}
              onChange={(event) => set("relationshipNps", { enabled: event.target.checked })}
            />{" "}
            Ask customers for NPS regularly
          </label>
          <div className="form-grid">
            <Field label="Every" path="relationshipNps.cadenceMonths" errors={errors}>
              {(id) => (
                <select
                  id={id}
                  value={draft.relationshipNps.cadenceMonths}
                  onChange={(event) =>
                    set("relationshipNps", { cadenceMonths: Number(event.target.value) as 3 | 6 | 12 })
                  }
                >
                  <option value={3}>3 months</option>
                  <option value={6}>6 months</option>
                  <option value={12}>12 months</option>
                </select>
              )}
            </Field>
            <NumberInput
              label="Not within days of another survey"
              path="relationshipNps.minDaysSinceLastSurvey"
              value={draft.relationshipNps.minDaysSinceLastSurvey}
              errors={errors}
              onChange={(minDaysSinceLastSurvey) => set("relationshipNps", { minDaysSinceLastSurvey })}
            />
          </div>
          {draft.relationshipNps.enabledAt && (
            <p className="muted">On since {draft.relationshipNps.enabledAt.slice(0, 10)}.</p>
          )}
        </fieldset>
        <fieldset disabled={!canEdit || busy}>
          <legend>Order check-in</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.checkIn.enabled}
              onChange={(event) => set("checkIn", { enabled: event.target.checked })}
            />{" "}
            Ask “is everything as expected?” after an order
          </label>
          <div className="form-grid">
            <NumberInput
              label="Days after"
              path="checkIn.days"
              value={draft.checkIn.days}
              errors={errors}
              onChange={(days) => set("checkIn", { days })}
            />
            <Field label="Counted from" path="checkIn.basis" errors={errors}>
              {(id) => (
                <select
                  id={id}
                  value={draft.checkIn.basis}
                  onChange={(event) =>
                    set("checkIn", { basis: event.target.value as "placed" | "delivered" })
                  }
                >
                  <option value="delivered">Delivery</option>
                  <option value="placed">Order</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset disabled={!canEdit || busy}>
          <legend>Contact budget</legend>
          <div className="form-grid">
            <NumberInput
              label="At most this many survey mails"
              path="contactBudget.maxMessages"
              value={draft.contactBudget.maxMessages}
              errors={errors}
              onChange={(maxMessages) => set("contactBudget", { maxMessages })}
            />
            <NumberInput
              label="Per customer in (days)"
              path="contactBudget.periodDays"
              value={draft.contactBudget.periodDays}
              errors={errors}
              onChange={(periodDays) => set("contactBudget", { periodDays })}
            />
          </div>
        </fieldset>
        <fieldset disabled={!canEdit || busy}>
          <legend>Low scores</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.recovery.enabled}
              onChange={(event) => set("recovery", { enabled: event.target.checked })}
            />{" "}
            Start a recovery for the team lead
          </label>
          <div className="form-grid">
            <Field label="How" path="recovery.action" errors={errors}>
              {(id) => (
                <select
                  id={id}
                  value={draft.recovery.action}
                  onChange={(event) => set("recovery", { action: event.target.value as "reopen" | "task" })}
                >
                  <option value="reopen">Reopen the ticket</option>
                  <option value="task">Open a follow-up ticket</option>
                </select>
              )}
            </Field>
            <NumberInput
              label="Due within (business hours)"
              path="recovery.dueHours"
              value={draft.recovery.dueHours}
              errors={errors}
              step={0.25}
              onChange={(dueHours) => set("recovery", { dueHours })}
            />
            <NumberInput
              label="CSAT at most"
              path="recovery.csatAtMost"
              value={draft.recovery.csatAtMost}
              errors={errors}
              onChange={(csatAtMost) => set("recovery", { csatAtMost })}
            />
            <NumberInput
              label="NPS at most"
              path="recovery.npsAtMost"
              value={draft.recovery.npsAtMost}
              errors={errors}
              onChange={(npsAtMost) => set("recovery", { npsAtMost })}
            />
            <NumberInput
              label="CES at most"
              path="recovery.cesAtMost"
              value={draft.recovery.cesAtMost}
              errors={errors}
              onChange={(cesAtMost) => set("recovery", { cesAtMost })}
            />
          </div>
        </fieldset>
        <fieldset disabled={!canEdit || busy}>
          <legend>Wording</legend>
          <div className="form-grid">
            {(Object.keys(wordingLabels) as (keyof typeof wordingLabels)[]).map((key) => (
              <Field key={key} label={wordingLabels[key]} path={`wording.${key}`} errors={errors}>
                {(id, describedBy) => (
                  <input
                    id={id}
                    type="text"
                    value={draft.wording[key]}
                    aria-invalid={errors[`wording.${key}`] ? "true" : undefined}
                    aria-describedby={describedBy}
                    onChange={(event) => set("wording", { [key]: event.target.value })}
                  />
                )}
              </Field>
            ))}
            <Field label="CSAT scale" path="wording.csatStyle" errors={errors}>
              {(id) => (
                <select
                  id={id}
                  value={draft.wording.csatStyle}
                  onChange={(event) => set("wording", { csatStyle: event.target.value as "faces" | "stars" })}
                >
                  <option value="faces">Faces</option>
                  <option value="stars">Stars</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        {canEdit && (
          <div className="row">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? "Saving…" : "Save survey settings"}
            </button>
          </div>
        )}
      </form>
    </AdminPageFrame>
  );
}
