import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { Message } from "../../api/api-types.ts";

export type ComposerMode = "reply" | "note";
export type ComposerRequest = { mode: ComposerMode; nonce: number };

type Props = {
  ticketId: number;
  customerName: string;
  request: ComposerRequest | null;
  onSent: (message: Message) => void;
};

/** Reply to the customer or write an internal note; Ctrl/Cmd+Enter sends. The draft survives live refreshes. */
export function ReplyComposer({ ticketId, customerName, request, onSent }: Props) {
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  // A new ticket starts with an empty reply (a draft meant for another customer must not follow the agent).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on ticket change only
  useEffect(() => {
    setText("");
    setError(null);
    setMode("reply");
  }, [ticketId]);

  useEffect(() => {
    if (!request) return;
    setMode(request.mode);
    textRef.current?.focus();
  }, [request]);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    if (!text.trim()) {
      setError(mode === "note" ? "Write the note first." : "Write the reply first.");
      textRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const message = await api.addMessage(ticketId, { text, isInternal: mode === "note" });
      setText("");
      onSent(message);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not send; try again.");
    } finally {
      setBusy(false);
    }
  }

  const isNote = mode === "note";
  return (
    <form
      className={`composer${isNote ? " composer-note" : ""}`}
      onSubmit={send}
      aria-label="Write a message"
    >
      <fieldset className="composer-tabs">
        <legend className="visually-hidden">Message type</legend>
        <button
          type="button"
          aria-pressed={!isNote}
          className={`tab${!isNote ? " is-active" : ""}`}
          onClick={() => setMode("reply")}
        >
          Reply <kbd>r</kbd>
        </button>
        <button
          type="button"
          aria-pressed={isNote}
          className={`tab${isNote ? " is-active" : ""}`}
          onClick={() => setMode("note")}
        >
          Internal note <kbd>n</kbd>
        </button>
      </fieldset>
      <label htmlFor="composer-text" className="visually-hidden">
        {isNote ? "Internal note (only agents see it)" : `Reply to ${customerName}`}
      </label>
      <textarea
        id="composer-text"
        ref={textRef}
        value={text}
        rows={4}
        placeholder={isNote ? "Internal note — only agents see this" : `Reply to ${customerName}…`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          }
        }}
      />
      <div className="composer-foot">
        <span className="form-error" role="alert">
          {error}
        </span>
        <span className="muted composer-hint">Ctrl+Enter to send</span>
        <button
          type="submit"
          className={`button ${isNote ? "button-note" : "button-primary"}`}
          disabled={busy}
        >
          {busy ? "Sending…" : isNote ? "Add note" : "Send reply"}
        </button>
      </div>
    </form>
  );
}
