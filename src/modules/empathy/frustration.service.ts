import {
  type FrustrationResult,
  type HistoryMessage,
  replayFrustration,
  scoreFrustration,
  type TicketFrustration,
} from "../../analytics/text/frustration.ts";
import type { ServiceContext } from "../../context.ts";
import { countInboundContacts, selectInboundContacts } from "./empathy.repo.ts";

/** Contacts by one customer within this many days count towards "third contact in 5 days". */
export const contactWindowDays = 5;

/**
 * Scores a customer's message as it is stored: the text, plus how many times the customer has been in touch in
 * the last days (this message included). One indexed count per message; the scoring itself is in-process.
 */
export async function scoreInboundMessage(
  ctx: Pick<ServiceContext, "db" | "clock">,
  input: { customerId: number; ticketId: number | null; channel: string; text: string },
): Promise<FrustrationResult> {
  const since = new Date(ctx.clock.now().getTime() - contactWindowDays * 86_400_000);
  const chatTicketId = input.channel === "chat" ? input.ticketId : null;
  const earlier = await countInboundContacts(ctx.db, input.customerId, since, chatTicketId);
  const thisOne = input.channel === "chat" && earlier.chatTicketCounted ? 0 : 1;
  return scoreFrustration({
    text: input.text,
    recentContacts: earlier.contacts + thisOne,
    contactWindowDays,
  });
}

/**
 * Scores history being imported as intake would have scored it message by message (replayFrustration): the
 * customers' contacts already stored in the window before count towards repeated contact. `startTickets`: the
 * frustration of stored tickets the history continues. One query, then in-process scoring.
 */
export async function scoreImportedHistory(
  ctx: Pick<ServiceContext, "db">,
  history: HistoryMessage[],
  startTickets: ReadonlyMap<number, TicketFrustration> = new Map(),
) {
  const spoken = history.filter((message) => message.role === "customer");
  if (spoken.length === 0) return replayFrustration(history, contactWindowDays, startTickets);
  const times = spoken.map((message) => message.at.getTime());
  const stored = await selectInboundContacts(
    ctx.db,
    [...new Set(spoken.map((message) => message.customerId))],
    new Date(Math.min(...times) - contactWindowDays * 86_400_000),
    new Date(Math.max(...times)),
  );
  const earlier: HistoryMessage[] = stored.map((contact) => ({
    ticketId: contact.ticketId,
    customerId: contact.customerId,
    channel: contact.channel,
    text: "",
    at: contact.at,
    role: "contact",
  }));
  // Stored contacts go first, so at an equal time they count before the imported message.
  const replayed = replayFrustration([...earlier, ...history], contactWindowDays, startTickets);
  return { messages: replayed.messages.slice(earlier.length), tickets: replayed.tickets };
}
