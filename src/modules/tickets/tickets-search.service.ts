import { createHash } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { tickets } from "../../db/schema.ts";
import { validationFailed } from "../../errors.ts";
import { parseSearchQuery } from "./search-query.ts";
import { baseSummaryQuery, type TicketListFilter, type TicketSummaryRow } from "./tickets.repo.ts";
import {
  chooseMessageScan,
  probeSearchMatches,
  type RankedTicketRow,
  type SearchSnapshot,
  searchCandidateCap,
  selectRankedTickets,
  selectSearchStart,
  selectTicketSnippets,
  type TicketSnippetRow,
} from "./tickets-search.repo.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

/** Where a later page continues: after (score, ticket id), within the first page's snapshot, for the same search. */
export type SearchCursor = SearchSnapshot & { score: number; ticketId: number; fingerprint: string };

export type TicketSearchInput = {
  q: string;
  /** Match the last word as the start of a word too (search as you type). */
  prefix: boolean;
  filter: TicketListFilter;
  limit: number;
  after?: SearchCursor;
};

export type TicketSearchHit = {
  summary: TicketSummaryRow;
  rank: RankedTicketRow;
  snippets: TicketSnippetRow | undefined;
};

export type TicketSearchResult = {
  hits: TicketSearchHit[];
  next: SearchCursor | null;
  /** Tickets that match among the candidates; exact unless `capped`. */
  matches: number;
  /** A source had more matches than the candidate cap: only its newest matches were ranked. */
  capped: boolean;
};

/** Identifies a search (words and filters) so a cursor is not replayed against another one. */
export function searchFingerprint(input: Pick<TicketSearchInput, "q" | "prefix" | "filter">): string {
  const { filter } = input;
  const canonical = JSON.stringify([
    input.q.trim(),
    input.prefix,
    filter.view ?? null,
    filter.status ?? null,
    filter.assigneeId === undefined ? "any" : filter.assigneeId,
    filter.channel ?? null,
    filter.tags ?? null,
    filter.createdFrom?.toISOString() ?? null,
    filter.createdBefore?.toISOString() ?? null,
    filter.meUserId,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

/**
 * Full-text search over every ticket ever opened: subjects, message bodies (replies and internal notes) and
 * customers (names, emails, phone numbers), ranked, with highlighted snippets for the page returned.
 */
export async function searchTickets(ctx: Ctx, input: TicketSearchInput): Promise<TicketSearchResult> {
  const fingerprint = searchFingerprint(input);
  if (input.after && input.after.fingerprint !== fingerprint) {
    throw validationFailed("This cursor belongs to another search; start again from the first page", [
      { path: "querystring.cursor", message: "cursor of another search" },
    ]);
  }
  const query = parseSearchQuery(input.q, { prefix: input.prefix });
  const start = await selectSearchStart(ctx.db, query, input.after ? null : ctx.clock.now().getTime());
  const searchable = { prose: start.prose, names: start.names };
  if (!searchable.prose && !searchable.names) return { hits: [], next: null, matches: 0, capped: false };
  const snapshot = input.after ?? start.snapshot;
  if (!snapshot) throw new Error("a first page always takes a snapshot");
  // Parallel workers cost more to start (tens of milliseconds on a busy machine) than these bounded scans take, so
  // the probe and the ranking run in one transaction without them (PGlite has none anyway).
  const ranked = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    const probe = searchable.prose ? await probeSearchMatches(tx, query, input.filter, snapshot) : null;
    return selectRankedTickets(tx, {
      query,
      searchable,
      filter: input.filter,
      snapshot,
      after: input.after,
      limit: input.limit,
      messageScan: probe
        ? chooseMessageScan(
            probe.messages,
            snapshot.maxMessageId,
            searchCandidateCap,
            10,
            probe.range
              ? {
                  probe: probe.range,
                  messagesPerTicket: snapshot.maxMessageId / Math.max(1, snapshot.maxTicketId),
                }
              : undefined,
          )
        : undefined,
      subjectScan: probe
        ? chooseMessageScan(probe.subjects, snapshot.maxTicketId, searchCandidateCap, 1)
        : undefined,
    });
  });
  const pageRows = ranked.slice(0, input.limit);
  const ids = pageRows.map((row) => row.ticketId);
  const [summaries, snippets] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          baseSummaryQuery(ctx.db).where(inArray(tickets.id, ids)),
          selectTicketSnippets(
            ctx.db,
            query,
            pageRows.map((row) => ({ ticketId: row.ticketId, messageId: row.bestMessageId })),
          ),
        ]);
  const summaryById = new Map(summaries.map((row) => [row.id, row]));
  const snippetsById = new Map(snippets.map((row) => [row.ticketId, row]));
  const hits: TicketSearchHit[] = [];
  for (const rank of pageRows) {
    const summary = summaryById.get(rank.ticketId);
    if (summary) hits.push({ summary, rank, snippets: snippetsById.get(rank.ticketId) });
  }
  const last = pageRows[pageRows.length - 1];
  const next =
    ranked.length > input.limit && last
      ? { ...snapshot, score: last.score, ticketId: last.ticketId, fingerprint }
      : null;
  return { hits, next, matches: ranked[0]?.matches ?? 0, capped: ranked[0]?.capped ?? false };
}
