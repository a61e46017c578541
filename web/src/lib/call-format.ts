// Phone calls logged on tickets, in words for the thread and the "Log call" form.
import type { CallDetails, CallOutcome, Message } from "../api/api-types.ts";

export const callOutcomeLabels: Record<CallOutcome, string> = {
  answered: "Answered",
  resolved: "Resolved on the call",
  callback_requested: "Callback requested",
  voicemail: "Left a voicemail",
  no_answer: "No answer",
  missed: "Missed",
};

/** "45s", "4m 30s", "1h 2m": how long a call took. */
export function formatCallDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes}m` : `${minutes}m ${total % 60}s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
}

/** One line for the thread: "Incoming call · 4m 30s · Answered". */
export function describeCall(call: CallDetails): string {
  const direction = call.direction === "inbound" ? "Incoming call" : "Outgoing call";
  return `${direction} · ${formatCallDuration(call.durationSeconds)} · ${callOutcomeLabels[call.outcome]}`;
}

/**
 * The agent's notes of a call message. The server writes a one-line summary first ("Incoming call, 4:30,
 * answered") for plain-text readers; the thread shows the details itself, so only what follows is notes.
 */
export function callNotes(message: Pick<Message, "text">): string {
  const [first, ...rest] = message.text.split("\n\n");
  if (/^(Incoming|Outgoing) call, \d+:\d\d, /.test(first ?? "")) return rest.join("\n\n").trim();
  return message.text;
}

/** Minutes and seconds from the form's two fields; null when they are not whole, non-negative numbers. */
export function parseCallDuration(minutes: string, seconds: string): number | null {
  const m = minutes.trim() === "" ? 0 : Number(minutes);
  const s = seconds.trim() === "" ? 0 : Number(seconds);
  if (!Number.isInteger(m) || !Number.isInteger(s) || m < 0 || s < 0 || s > 59) return null;
  const total = m * 60 + s;
  return total > 24 * 3600 ? null : total;
}
