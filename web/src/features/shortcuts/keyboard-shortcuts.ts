// The inbox's keyboard shortcuts as a pure function of the key pressed, so the rules can be tested without a DOM.

export type ShortcutAction =
  | "next"
  | "previous"
  | "open"
  | "reply"
  | "note"
  | "send"
  | "solve"
  | "assignToMe"
  | "macro"
  | "logCall"
  | "search"
  | "goInbox"
  | "help"
  | "escape";

export type KeyPress = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focus is in a text field, select or contenteditable: letters are typing, not commands. */
  inEditable: boolean;
};

export type ShortcutState = { awaitingSecondKey: "g" | null };

export const initialShortcutState: ShortcutState = { awaitingSecondKey: null };

/** What the help overlay lists; the order is the order shown. */
export const shortcutHelp: { keys: string[]; description: string }[] = [
  { keys: ["j"], description: "Next ticket in the list" },
  { keys: ["k"], description: "Previous ticket in the list" },
  { keys: ["Enter", "o"], description: "Open the selected ticket" },
  { keys: ["r"], description: "Reply to the customer" },
  { keys: ["n"], description: "Write an internal note" },
  { keys: ["m"], description: "Insert a macro into the reply (or / in an empty reply)" },
  { keys: ["c"], description: "Log a phone call on the open ticket" },
  { keys: ["Ctrl+Enter", "⌘+Enter"], description: "Send the reply or note" },
  { keys: ["s"], description: "Solve the open ticket" },
  { keys: ["a"], description: "Assign the open ticket to me" },
  { keys: ["/"], description: "Search tickets" },
  { keys: ["g", "then i"], description: "Go to my inbox" },
  { keys: ["?"], description: "Show this help" },
  { keys: ["Esc"], description: "Close help, leave a text field" },
];

const singleKeys: Record<string, ShortcutAction> = {
  j: "next",
  k: "previous",
  Enter: "open",
  o: "open",
  r: "reply",
  n: "note",
  s: "solve",
  a: "assignToMe",
  m: "macro",
  c: "logCall",
  "/": "search",
  "?": "help",
};

/** Maps one key press to an action (or none) and the state for the next press ("g" waits for "i"). */
export function resolveShortcut(
  press: KeyPress,
  state: ShortcutState,
): { action: ShortcutAction | null; state: ShortcutState } {
  const idle = initialShortcutState;
  if (press.key === "Enter" && (press.ctrlKey || press.metaKey) && !press.altKey) {
    return { action: "send", state: idle };
  }
  if (press.key === "Escape") return { action: "escape", state: idle };
  // Typing in a field is never a command, and browser/OS shortcuts (Ctrl+R, Cmd+A) stay theirs.
  if (press.inEditable || press.ctrlKey || press.metaKey || press.altKey)
    return { action: null, state: idle };
  if (state.awaitingSecondKey === "g") {
    return { action: press.key === "i" ? "goInbox" : null, state: idle };
  }
  if (press.key === "g") return { action: null, state: { awaitingSecondKey: "g" } };
  return { action: singleKeys[press.key] ?? null, state: idle };
}
