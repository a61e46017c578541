import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { Macro, MacroResult, Message } from "../../api/api-types.ts";
import { MacroPicker } from "./macro-picker.tsx";

export type ComposerMode = "reply" | "note";
/** Open the reply as a reply or note, or open the macro picker ("macro"). */
export type ComposerRequest = { mode: ComposerMode | "macro"; nonce: number };

type Props = {
  ticketId: number;
  customerName: string;
  request: ComposerRequest | null;
  onSent: (message: Message) => void;
  /** A macro was applied: its ticket changes are saved, its text is in the reply for review. */
  onMacroApplied: (macro: Macro, result: MacroResult) => void;
  /** Live chat: told when the agent starts typing (again every few seconds) and stops. */
  onTyping?: (isTyping: boolean) => void;
};

const typingRepeatMs = 3000;
const typingIdleMs = 4000;

/** Reply to the customer or write an internal note; Ctrl/Cmd+Enter sends. The draft survives live refreshes. */
export function ReplyComposer({ ticketId, customerName, request, onSent, onMacroApplied, onTyping }: Props) {
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const typingSentAt = useRef(0);
  const typingIdle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stopTyping = () => {
    clearTimeout(typingIdle.current);
    if (typingSentAt.current !== 0) onTyping?.(false);
    typingSentAt.current = 0;
  };

  // Typing in a note is not typing to the customer; leaving the ticket stops it too.
  const noteTyping = (value: string) => {
    if (!onTyping || mode === "note") return;
    if (!value.trim()) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typingSentAt.current > typingRepeatMs) {
      typingSentAt.current = now;
      onTyping(true);
    }
    clearTimeout(typingIdle.current);
    typingIdle.current = setTimeout(stopTyping, typingIdleMs);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: stop once, when the ticket changes or the pane closes
  useEffect(() => stopTyping, [ticketId]);

  // A new ticket starts with an empty reply (a draft meant for another customer must not follow the agent).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on ticket change only
  useEffect(() => {
    setText("");
    setError(null);
    setMode("reply");
    setPickerOpen(false);
  }, [ticketId]);

  useEffect(() => {
    if (!request) return;
    if (request.mode === "macro") {
      setPickerOpen(true);
      return;
    }
    setMode(request.mode);
    textRef.current?.focus();
  }, [request]);

  const closePicker = () => {
    setPickerOpen(false);
    textRef.current?.focus();
  };

  // The macro's changes are saved by the server; its text joins the draft (after what the agent wrote) for review.
  const applyMacro = async (macro: Macro) => {
    const result = await api.applyMacro(ticketId, macro.id);
    setMode("reply");
    setText((draft) => (draft.trim() ? `${draft.trimEnd()}\n\n${result.text}` : result.text));
    setPickerOpen(false);
    textRef.current?.focus();
    onMacroApplied(macro, result);
  };

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
    clearTimeout(typingIdle.current);
    typingSentAt.current = 0;
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
        <button
          type="button"
          className="tab composer-macros"
          aria-expanded={pickerOpen}
          onClick={() => (pickerOpen ? closePicker() : setPickerOpen(true))}
        >
          Macros <kbd>m</kbd>
        </button>
      </fieldset>
      {pickerOpen && <MacroPicker onPick={applyMacro} onClose={closePicker} />}
      <label htmlFor="composer-text" className="visually-hidden">
        {isNote ? "Internal note (only agents see it)" : `Reply to ${customerName}`}
      </label>
      <textarea
        id="composer-text"
        ref={textRef}
        value={text}
        rows={4}
        placeholder={isNote ? "Internal note — only agents see this" : `Reply to ${customerName}…`}
        onChange={(event) => {
          setText(event.target.value);
          noteTyping(event.target.value);
        }}
        onKeyDown={(event) => {
          // "/" at the start of an empty reply opens the macros, as in chat tools.
          if (event.key === "/" && text === "" && !event.ctrlKey && !event.metaKey && !event.altKey) {
            event.preventDefault();
            setPickerOpen(true);
            return;
          }
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
        <span className="muted composer-hint">Ctrl+Enter to send · / in an empty reply for macros</span>
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
