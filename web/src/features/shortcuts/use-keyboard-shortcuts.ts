import { useEffect, useRef } from "react";
import { initialShortcutState, resolveShortcut, type ShortcutAction } from "./keyboard-shortcuts.ts";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["button", "checkbox", "radio", "submit", "reset"].includes(target.type);
  }
  return false;
}

/** Enter opens a ticket only from the page itself or a ticket row; on a button or link it keeps its own meaning. */
function enterIsFree(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return true;
  if (target.closest("[data-ticket-id]")) return true;
  return !target.closest("a, button, summary, [role=button], [role=radio], dialog");
}

/** Global keydown listener: runs `onAction` for shortcuts; returns nothing. `send` is left to the composer. */
export function useKeyboardShortcuts(
  onAction: (action: ShortcutAction, target: EventTarget | null) => boolean,
) {
  const handler = useRef(onAction);
  handler.current = onAction;
  useEffect(() => {
    let state = initialShortcutState;
    const listener = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const result = resolveShortcut(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          inEditable: isEditable(event.target),
        },
        state,
      );
      state = result.state;
      if (!result.action || result.action === "send") return;
      if (event.key === "Enter" && !enterIsFree(event.target)) return;
      if (handler.current(result.action, event.target)) event.preventDefault();
    };
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);
}
