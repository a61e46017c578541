import { describe, expect, it } from "vitest";
import { initialShortcutState, type KeyPress, resolveShortcut } from "./keyboard-shortcuts.ts";

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inEditable: false,
  ...extra,
});

function run(keys: KeyPress[]) {
  let state = initialShortcutState;
  const actions: (string | null)[] = [];
  for (const key of keys) {
    const result = resolveShortcut(key, state);
    actions.push(result.action);
    state = result.state;
  }
  return actions;
}

describe("resolveShortcut", () => {
  it("moves, opens, replies, notes, solves, assigns and searches with single keys", () => {
    expect(run(["j", "k", "Enter", "o", "r", "n", "s", "a", "/", "?"].map((k) => press(k)))).toEqual([
      "next",
      "previous",
      "open",
      "open",
      "reply",
      "note",
      "solve",
      "assignToMe",
      "search",
      "help",
    ]);
  });

  it("opens the macro picker with m and the call log with c", () => {
    expect(run([press("m"), press("c")])).toEqual(["macro", "logCall"]);
  });

  it("does nothing while the agent types in a field, except send and escape", () => {
    const typing = { inEditable: true };
    expect(run([press("j", typing), press("s", typing), press("/", typing)])).toEqual([null, null, null]);
    expect(run([press("Enter", { ...typing, ctrlKey: true })])).toEqual(["send"]);
    expect(run([press("Enter", { ...typing, metaKey: true })])).toEqual(["send"]);
    expect(run([press("Escape", typing)])).toEqual(["escape"]);
  });

  it("goes to the inbox with g then i, and forgets a lone g", () => {
    expect(run([press("g"), press("i")])).toEqual([null, "goInbox"]);
    expect(run([press("g"), press("x"), press("i")])).toEqual([null, null, null]);
    expect(run([press("g"), press("j")])).toEqual([null, null]);
  });

  it("leaves browser shortcuts such as Ctrl+R and Cmd+A alone", () => {
    expect(run([press("r", { ctrlKey: true }), press("a", { metaKey: true })])).toEqual([null, null]);
  });
});
