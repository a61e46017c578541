import { ownWords } from "../../analytics/text/frustration.ts";
import { findThemes, type Theme, type ThemeDocument } from "../../analytics/text/themes.ts";
import type { ServiceContext } from "../../context.ts";
import { selectCommentsBetween, selectCustomerMessagesBetween } from "./insights.repo.ts";

export type ThemeSource = "comments" | "messages" | "all";

/** Each period reads at most this many texts per source (the newest); enough for phrases to repeat. */
const maxTextsPerSource = 5000;

export type ThemeVerbatim = {
  source: "comment" | "message";
  ticketId: number | null;
  responseId: number | null;
  messageId: number | null;
};

export type ThemesReport = {
  from: Date;
  to: Date;
  previousFrom: Date;
  source: ThemeSource;
  texts: { current: number; previous: number };
  themes: (Omit<Theme, "examples"> & { examples: (ThemeVerbatim & { text: string; at: Date })[] })[];
};

async function documentsBetween(
  ctx: Pick<ServiceContext, "db">,
  source: ThemeSource,
  from: Date,
  to: Date,
  verbatims: Map<string, ThemeVerbatim>,
): Promise<ThemeDocument[]> {
  const docs: ThemeDocument[] = [];
  if (source !== "messages") {
    for (const row of await selectCommentsBetween(ctx.db, from, to, maxTextsPerSource)) {
      const id = `comment:${row.id}`;
      verbatims.set(id, { source: "comment", ticketId: row.ticketId, responseId: row.id, messageId: null });
      docs.push({ id, text: row.text, at: row.at });
    }
  }
  if (source !== "comments") {
    for (const row of await selectCustomerMessagesBetween(ctx.db, from, to, maxTextsPerSource)) {
      const id = `message:${row.id}`;
      verbatims.set(id, { source: "message", ticketId: row.ticketId, responseId: null, messageId: row.id });
      // Only the customer's own words: quoted replies would make the agents' phrasing a theme.
      docs.push({ id, text: ownWords(row.text), at: row.at });
    }
  }
  return docs;
}

/**
 * What customers are saying in [from, to): recurring phrases in survey comments and/or customers' messages, with
 * the count in the period of the same length just before, the trend and the newest verbatims.
 */
export async function getThemes(
  ctx: Pick<ServiceContext, "db">,
  input: { from: Date; to: Date; source: ThemeSource; limit?: number; examples?: number },
): Promise<ThemesReport> {
  const previousFrom = new Date(input.from.getTime() - (input.to.getTime() - input.from.getTime()));
  const verbatims = new Map<string, ThemeVerbatim>();
  const current = await documentsBetween(ctx, input.source, input.from, input.to, verbatims);
  const previous = await documentsBetween(ctx, input.source, previousFrom, input.from, new Map());
  const themes = findThemes(current, previous, {
    limit: input.limit ?? 20,
    examplesPerTheme: input.examples ?? 3,
  });
  return {
    from: input.from,
    to: input.to,
    previousFrom,
    source: input.source,
    texts: { current: current.length, previous: previous.length },
    themes: themes.map((theme) => ({
      ...theme,
      examples: theme.examples.map((example) => ({
        ...(verbatims.get(example.id) ?? {
          source: "message",
          ticketId: null,
          responseId: null,
          messageId: null,
        }),
        text: example.text,
        at: example.at,
      })),
    })),
  };
}
