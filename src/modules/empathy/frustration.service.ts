import { type FrustrationResult, scoreFrustration } from "../../analytics/text/frustration.ts";
import type { ServiceContext } from "../../context.ts";
import { countInboundContacts } from "./empathy.repo.ts";

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
