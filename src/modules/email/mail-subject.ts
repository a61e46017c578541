/**
 * Subject rules for threading. Reply and forward prefixes differ by mail client and language; a ticket tag
 * [#123] is Tend's own. Normalising strips all of them so "RE: AW: [#12] Order late" and "Order late" compare equal.
 */

// Re, Fwd/Fw, German AW/WG, Nordic SV/VS, Dutch Antw/Doorst, French RE/TR, Spanish RV, Italian R/I omitted (too short).
const prefixPattern =
  /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|doorst|tr|rv|ref|réf)(?:\[\d+\]|\(\d+\))?\s*[:：]|\[#\d+\])\s*/i;
const tagPattern = /\[#(\d{1,9})\]/g;

/** The subject without reply/forward prefixes, ticket tags, list tags at the start, and with collapsed spaces. */
export function normalizeSubject(subject: string | null | undefined): string {
  let s = (subject ?? "").replace(/\s+/g, " ").trim();
  for (;;) {
    const next = s.replace(prefixPattern, "");
    if (next === s) break;
    s = next;
  }
  return s.replace(tagPattern, " ").replace(/\s+/g, " ").trim();
}

/** Ticket ids named by [#123] tags in a subject, in order of appearance. */
export function extractTicketTags(subject: string | null | undefined): number[] {
  const ids: number[] = [];
  for (const match of (subject ?? "").matchAll(tagPattern)) ids.push(Number(match[1]));
  return ids;
}

/** True when the subject starts with a reply prefix (Re:, AW:, SV:, Antw: ...), not counting forwards. */
export function isReplySubject(subject: string | null | undefined): boolean {
  return /^\s*(?:\[#\d+\]\s*)?(?:re|aw|sv|antw|ref|réf)(?:\[\d+\]|\(\d+\))?\s*[:：]/i.test(subject ?? "");
}

/** The subject Tend sends on a reply: "Re: <subject> [#<id>]". */
export function buildReplySubject(ticketSubject: string, ticketId: number): string {
  const base = normalizeSubject(ticketSubject) || "(no subject)";
  return `Re: ${base} [#${ticketId}]`;
}

/** Case- and space-insensitive comparison key for normalised subjects. */
export function subjectKey(subject: string | null | undefined): string {
  return normalizeSubject(subject).toLowerCase().normalize("NFKC");
}
