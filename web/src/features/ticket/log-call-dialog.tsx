import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { CallDetails, CallOutcome, Message } from "../../api/api-types.ts";
import { callOutcomeLabels, parseCallDuration } from "../../lib/call-format.ts";

type Props = {
  ticketId: number;
  customerName: string;
  onLogged: (message: Message) => void;
  onClose: () => void;
};

/** "Log call": a modal form for a phone call on this ticket (direction, duration, outcome, number, notes). */
export function LogCallDialog({ ticketId, customerName, onLogged, onClose }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [direction, setDirection] = useState<CallDetails["direction"]>("inbound");
  const [minutes, setMinutes] = useState("");
  const [seconds, setSeconds] = useState("");
  const [outcome, setOutcome] = useState<CallOutcome>("answered");
  const [phoneNumber, setPhoneNumber] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // No close() on cleanup: under StrictMode's effect replay its "close" event would unmount the dialog just
  // opened; removing the element on unmount ends the modal state anyway.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const durationSeconds = parseCallDuration(minutes, seconds);
    if (durationSeconds === null) {
      setError("Enter the duration as whole minutes and seconds (0–59).");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const message = await api.logCall(ticketId, {
        direction,
        durationSeconds,
        outcome,
        notes,
        ...(phoneNumber.trim() ? { phoneNumber: phoneNumber.trim() } : {}),
      });
      onLogged(message);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not log the call; try again.");
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialogRef} className="help log-call" aria-labelledby="log-call-title" onClose={onClose}>
      <form onSubmit={submit}>
        <h2 id="log-call-title">Log a call</h2>
        <fieldset className="log-call-direction">
          <legend>Direction</legend>
          <label>
            <input
              type="radio"
              name="call-direction"
              checked={direction === "inbound"}
              onChange={() => setDirection("inbound")}
            />{" "}
            {customerName} called
          </label>
          <label>
            <input
              type="radio"
              name="call-direction"
              checked={direction === "outbound"}
              onChange={() => setDirection("outbound")}
            />{" "}
            I called {customerName}
          </label>
        </fieldset>
        <fieldset className="log-call-duration">
          <legend>Duration</legend>
          <label>
            <input
              type="number"
              min={0}
              max={1440}
              aria-label="Minutes"
              inputMode="numeric"
              value={minutes}
              onChange={(event) => setMinutes(event.target.value)}
            />{" "}
            min
          </label>
          <label>
            <input
              type="number"
              min={0}
              max={59}
              aria-label="Seconds"
              inputMode="numeric"
              value={seconds}
              onChange={(event) => setSeconds(event.target.value)}
            />{" "}
            s
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="call-outcome">Outcome</label>
          <select
            id="call-outcome"
            value={outcome}
            onChange={(event) => setOutcome(event.target.value as CallOutcome)}
          >
            {(Object.keys(callOutcomeLabels) as CallOutcome[]).map((value) => (
              <option key={value} value={value}>
                {callOutcomeLabels[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="call-phone">Phone number (optional)</label>
          <input
            id="call-phone"
            type="tel"
            value={phoneNumber}
            maxLength={40}
            onChange={(event) => setPhoneNumber(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="call-notes">Notes</label>
          <textarea
            id="call-notes"
            rows={4}
            value={notes}
            onChange={(event) => setNotes(event.target.value)}
          />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Log call"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
