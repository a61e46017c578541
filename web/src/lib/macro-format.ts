// Macros in words for the picker: what a macro changes besides writing the reply.
import type { Macro, MacroActions } from "../api/api-types.ts";
import { priorityLabel, statusLabel } from "./format.ts";

/** "Status: Pending · Tags: +damaged" — the ticket changes a macro makes, or "" when it only writes text. */
export function describeMacroActions(actions: MacroActions, userName?: (id: number) => string): string {
  const parts: string[] = [];
  if (actions.status) parts.push(`Status: ${statusLabel(actions.status)}`);
  if (actions.priority) parts.push(`Priority: ${priorityLabel(actions.priority)}`);
  const tags = [
    ...(actions.addTags ?? []).map((tag) => `+${tag}`),
    ...(actions.removeTags ?? []).map((tag) => `−${tag}`),
  ];
  if (tags.length > 0) parts.push(`Tags: ${tags.join(" ")}`);
  if (actions.assignee === "me") parts.push("Assign to me");
  else if (actions.assignee === null) parts.push("Unassign");
  else if (typeof actions.assignee === "number")
    parts.push(`Assign to ${userName?.(actions.assignee) ?? `agent #${actions.assignee}`}`);
  if (actions.teamId === null) parts.push("No team");
  else if (typeof actions.teamId === "number") parts.push("Move team");
  return parts.join(" · ");
}

/** Macros whose title or text holds every word of the filter, in the macros' own order. */
export function filterMacros(macros: Macro[], filter: string): Macro[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return macros;
  return macros.filter((macro) => {
    const haystack = `${macro.title}\n${macro.body}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
