import { and, desc, eq, gte, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { messages, surveyResponses, surveySends } from "../../db/schema.ts";

/** Texts are cut to this many characters: themes live in the opening of a comment or message. */
const textChars = 2000;

export type CommentRow = { id: number; ticketId: number | null; text: string; at: Date };
export type CustomerMessageRow = { id: number; ticketId: number; text: string; at: Date };

/** Survey answers with a comment, in [from, to), newest first, at most `limit`. */
export async function selectCommentsBetween(
  db: Db,
  from: Date,
  to: Date,
  limit: number,
): Promise<CommentRow[]> {
  return db
    .select({
      id: surveyResponses.id,
      ticketId: surveySends.ticketId,
      text: sql<string>`left(${surveyResponses.comment}, ${textChars})`,
      at: surveyResponses.respondedAt,
    })
    .from(surveyResponses)
    .innerJoin(surveySends, eq(surveySends.id, surveyResponses.sendId))
    .where(
      and(
        isNotNull(surveyResponses.comment),
        ne(surveyResponses.comment, ""),
        gte(surveyResponses.respondedAt, from),
        lt(surveyResponses.respondedAt, to),
      ),
    )
    .orderBy(desc(surveyResponses.respondedAt), desc(surveyResponses.id))
    .limit(limit);
}

/** Customers' own messages (not notes, not machine mail) in [from, to), newest first, at most `limit`. */
export async function selectCustomerMessagesBetween(
  db: Db,
  from: Date,
  to: Date,
  limit: number,
): Promise<CustomerMessageRow[]> {
  return db
    .select({
      id: messages.id,
      ticketId: messages.ticketId,
      text: sql<string>`left(${messages.text}, ${textChars})`,
      at: messages.createdAt,
    })
    .from(messages)
    .where(
      and(
        eq(messages.direction, "inbound"),
        eq(messages.isInternal, false),
        eq(messages.isAutomated, false),
        gte(messages.createdAt, from),
        lt(messages.createdAt, to),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
}
