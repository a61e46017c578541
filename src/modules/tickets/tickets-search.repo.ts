import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { rowsOf } from "../../db/execute-rows.ts";
import { customerIdentities, customers, messages, tickets } from "../../db/schema.ts";
import type { ParsedSearchQuery } from "./search-query.ts";
import {
  ampersandStandIn,
  dashStandIn,
  highlightStart,
  highlightStop,
  lessThanStandIn,
  reservedCharacters,
} from "./search-snippet.ts";
import { filterConditions, type TicketListFilter } from "./tickets.repo.ts";

/** Fixes the result set across pages: no match newer than these ids, recency measured from the same instant. */
export type SearchSnapshot = { anchorMs: number; maxMessageId: number; maxTicketId: number };
export type SearchAfter = { score: number; ticketId: number };

export type RankedTicketRow = {
  ticketId: number;
  score: number;
  subjectRank: number;
  messageRank: number;
  customerRank: number;
  bestMessageId: number | null;
  matchedMessages: number;
  /** Matching tickets among the candidates (all of them unless `capped`). */
  matches: number;
  capped: boolean;
};

export type TicketSnippetRow = {
  ticketId: number;
  subjectHeadline: string | null;
  messageId: number | null;
  messageDirection: "inbound" | "outbound" | null;
  messageIsInternal: boolean | null;
  messageCreatedAt: Date | null;
  messageHeadline: string | null;
  customerNameHeadline: string | null;
  identityKind: string | null;
  identityHeadline: string | null;
};

type Config = "english" | "simple";

/** The tsquery for one configuration: websearch syntax, plus the last word as a prefix when it is being typed. */
export function searchTsquery(config: Config, query: ParsedSearchQuery): SQL {
  const regconfig = sql.raw(`'${config}'::regconfig`);
  const base = sql`websearch_to_tsquery(${regconfig}, ${query.text})`;
  if (!query.prefix) return base;
  // The prefix word is letters and digits only (parseSearchQuery), so `word:*` is a valid to_tsquery input.
  return sql`(${base} && (websearch_to_tsquery(${regconfig}, ${query.prefix}) || to_tsquery('simple'::regconfig, ${`${query.prefix}:*`})))`;
}

export type SearchStart = { prose: boolean; names: boolean; snapshot: SearchSnapshot | null };

/**
 * In one round trip: whether each tsquery can use the GIN indexes (an empty query, only stop words or punctuation,
 * matches nothing; one made only of exclusions, "-refund", would match nearly everything by a full scan: both
 * sources are skipped), and for a first page the snapshot (newest message and ticket ids).
 */
export async function selectSearchStart(
  db: Db,
  query: ParsedSearchQuery,
  snapshotAnchorMs: number | null,
): Promise<SearchStart> {
  const snapshot =
    snapshotAnchorMs === null
      ? sql`null::int as max_message_id, null::int as max_ticket_id`
      : sql`(select coalesce(max(id), 0) from ${messages}) as max_message_id,
          (select coalesce(max(id), 0) from ${tickets}) as max_ticket_id`;
  const result = await db.execute(sql`select
    querytree(${searchTsquery("english", query)}) as prose,
    querytree(${searchTsquery("simple", query)}) as names,
    ${snapshot}`);
  const [row] = rowsOf<{
    prose: string;
    names: string;
    max_message_id: number | null;
    max_ticket_id: number | null;
  }>(result);
  const usable = (tree: string) => tree !== "" && tree !== "T";
  return {
    prose: usable(row.prose),
    names: usable(row.names),
    snapshot:
      snapshotAnchorMs === null
        ? null
        : {
            anchorMs: snapshotAnchorMs,
            maxMessageId: Number(row.max_message_id),
            maxTicketId: Number(row.max_ticket_id),
          },
  };
}

/** Recency halves its weight every 90 days: a recent hit gains at most 25% over an equally relevant old one. */
const recencyBoost = 0.25;
const recencyHalfLifeSeconds = 90 * 24 * 3600;
/** Each source (message bodies, subjects, customers) contributes at most this many candidates, newest first. */
export const searchCandidateCap = 1000;

/**
 * How the newest `cap` matching messages are found. "walk" reads the primary key backwards and tests each message
 * (and its ticket's filters): it reads about cap / (share of messages that match and pass) rows, all among the
 * newest pages, which stay in memory. "all-matches" fetches every message with the words through the GIN index,
 * spread over the whole table, then keeps the newest. Measured at 1,000,000 messages, a fetched match costs about
 * ten walked rows (195 ms to fetch 11,000 matches, 124 ms to walk 90,000 rows). PostgreSQL's planner prices the
 * `@@` test as nearly free and misjudges prefixes and filters correlated with time, so the service measures the
 * share itself on the newest messages (probeMessageMatches) and chooses.
 * "by-ticket" (only with a creation-date filter) walks the tickets created in the range, newest first, through
 * tickets_created_idx, and reads each one's messages through messages_ticket_idx: the candidates are then the
 * matches in the newest tickets of the range rather than the newest matching messages. A range years back makes the
 * walk read every newer message and the fetch every match; this reads about cap / matches-per-ticket tickets.
 */
export type MessageScan = "walk" | "all-matches" | "by-ticket";

/** Messages the probe reads, newest first: enough to tell 1 in 1,000 from 1 in 10. */
export const messageProbeSize = 2000;
const subjectProbeSize = 1000;

export type MessageProbe = { read: number; matching: number; passing: number };
/** The newest tickets of a creation-date range, and how many of them pass the other filters. */
export type TicketRangeProbe = { read: number; passing: number };
/**
 * The probe of message bodies and, the same way, of ticket subjects (newest tickets); with a creation-date filter,
 * also of the tickets created in the range.
 */
export type SearchProbe = { messages: MessageProbe; subjects: MessageProbe; range: TicketRangeProbe | null };

/** A message read through the ticket index costs about this many walked rows (measured at 1,000,000 messages). */
const byTicketMessageCost = 2.5;

/**
 * `walkedPerFetched`: how many walked rows cost as much as one fetched match; 10 for messages (the newest pages are
 * in memory), 1 for tickets (an updated ticket row moves, so walking ticket ids reads scattered pages too).
 */
export function chooseMessageScan(
  probe: MessageProbe,
  rows: number,
  cap: number,
  walkedPerFetched = 10,
  range?: { probe: TicketRangeProbe; messagesPerTicket: number },
): MessageScan {
  if (probe.read === 0) return "all-matches";
  // Half a match when none was seen: the share is below 1 / read, not zero.
  const passingShare = Math.max(probe.passing, 0.5) / probe.read;
  const matchingShare = Math.max(probe.matching, 0.5) / probe.read;
  const costs: [MessageScan, number][] = [
    ["walk", cap / passingShare],
    ["all-matches", walkedPerFetched * matchingShare * rows],
  ];
  if (range && range.probe.read > 0) {
    const ticketShare = Math.max(range.probe.passing, 0.5) / range.probe.read;
    const ticketsWalked = cap / (ticketShare * range.messagesPerTicket * matchingShare);
    costs.push([
      "by-ticket",
      ticketsWalked * (1 + ticketShare * range.messagesPerTicket * byTicketMessageCost),
    ]);
  }
  return costs.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

const hasCreatedRange = (filter: TicketListFilter) => Boolean(filter.createdFrom || filter.createdBefore);

/** The newest tickets of the creation-date range (as the by-ticket walk reads them) and those passing the filters. */
function rangeProbe(filter: TicketListFilter, filters: SQL | undefined, snapshot: SearchSnapshot): SQL {
  if (!hasCreatedRange(filter)) return sql``;
  const from = filter.createdFrom ? sql`and t.created_at >= ${filter.createdFrom}` : sql``;
  const before = filter.createdBefore ? sql`and t.created_at < ${filter.createdBefore}` : sql``;
  return sql`,
    (select count(*)::int as range_read,
        (count(*) filter (where ${filters ?? sql`true`}))::int as range_passing
      from ${tickets} where ${tickets.id} in (select t.id from ${tickets} t where t.id <= ${snapshot.maxTicketId}
        ${from} ${before} order by t.created_at desc, t.id desc limit ${subjectProbeSize})) range_probe`;
}

/**
 * How many of the newest messages match the words and how many of those pass the ticket filters; the same for the
 * newest tickets' subjects (ticket rows move on every update, so walking their ids reads scattered pages too).
 */
export async function probeSearchMatches(
  db: Db,
  query: ParsedSearchQuery,
  filter: TicketListFilter,
  snapshot: SearchSnapshot,
): Promise<SearchProbe> {
  const filters = filterConditions(filter);
  const prose = searchTsquery("english", query);
  const passes = filters ? sql`and ${filters}` : sql``;
  const result = await db.execute(sql`select * from
    (select count(*)::int as messages_read,
        (count(*) filter (where m.search_vector @@ ${prose}))::int as messages_matching,
        (count(*) filter (where m.search_vector @@ ${prose} ${passes}))::int as messages_passing
      from (select ${messages.id}, ${messages.ticketId}, ${messages.searchVector} from ${messages}
        where ${messages.id} <= ${snapshot.maxMessageId} order by ${messages.id} desc limit ${messageProbeSize}) m
      ${filters ? sql`join ${tickets} on ${tickets.id} = m.ticket_id` : sql``}) messages_probe,
    (select count(*)::int as subjects_read,
        (count(*) filter (where ${tickets.searchVector} @@ ${prose}))::int as subjects_matching,
        (count(*) filter (where ${tickets.searchVector} @@ ${prose} ${passes}))::int as subjects_passing
      from ${tickets} where ${tickets.id} in (select t.id from ${tickets} t where t.id <= ${snapshot.maxTicketId}
        order by t.id desc limit ${subjectProbeSize})) subjects_probe${rangeProbe(filter, filters, snapshot)}`);
  const [row] = rowsOf<Record<string, number>>(result);
  const part = (prefix: string): MessageProbe => ({
    read: Number(row[`${prefix}_read`]),
    matching: Number(row[`${prefix}_matching`]),
    passing: Number(row[`${prefix}_passing`]),
  });
  return {
    messages: part("messages"),
    subjects: part("subjects"),
    range: hasCreatedRange(filter)
      ? { read: Number(row.range_read), passing: Number(row.range_passing) }
      : null,
  };
}

/**
 * One page of tickets ranked by relevance. Candidates are the newest `cap` matches of each source (message bodies,
 * subjects, customers) that pass the filters; a ticket's relevance is its best source's ts_rank_cd (subjects and
 * customers weigh A, bodies B), a little more for each further matching message, times a light recency boost.
 * Keyset on (score desc, ticket id desc); the snapshot keeps scores and candidates the same from page to page.
 */
export async function selectRankedTickets(
  db: Db,
  input: {
    query: ParsedSearchQuery;
    searchable: { prose: boolean; names: boolean };
    filter: TicketListFilter;
    snapshot: SearchSnapshot;
    after?: SearchAfter;
    limit: number;
    cap?: number;
    messageScan?: MessageScan;
    subjectScan?: MessageScan;
  },
): Promise<RankedTicketRow[]> {
  const { query, searchable, snapshot } = input;
  const cap = input.cap ?? searchCandidateCap;
  const prose = searchTsquery("english", query);
  const names = searchTsquery("simple", query);
  const filters = filterConditions(input.filter);
  const ticketFilter = filters ? sql`and ${filters}` : sql``;
  const none = (columns: string) => sql.raw(`select ${columns} where false`);

  const messageHits = !searchable.prose
    ? none("0 as id, 0 as ticket_id, now() as created_at, 0::real as rank")
    : input.messageScan === "by-ticket"
      ? // The LIMIT inside the lateral keeps it a nested loop over the tickets in order (no hash join).
        sql`select m.id, m.ticket_id, m.created_at, ts_rank_cd(m.search_vector, ${prose}, 33) as rank
        from ${tickets} cross join lateral (
          select mm.id, mm.ticket_id, mm.created_at, mm.search_vector from ${messages} mm
          where mm.ticket_id = ${tickets.id} and coalesce(mm.search_vector, ''::tsvector) @@ ${prose}
            and mm.id <= ${snapshot.maxMessageId}
          limit ${cap}) m
        where ${tickets.id} <= ${snapshot.maxTicketId} ${ticketFilter}
        order by ${tickets.createdAt} desc, ${tickets.id} desc limit ${cap}`
      : sql`select m.id, m.ticket_id, m.created_at, ts_rank_cd(m.search_vector, ${prose}, 33) as rank
        from (select ${messages.id}, ${messages.ticketId}, ${messages.createdAt}, ${messages.searchVector}
          from ${messages} ${filters ? sql`join ${tickets} on ${tickets.id} = ${messages.ticketId}` : sql``}
          where ${
            // coalesce() hides the column from the GIN index, so the plan is the walk; `id + 0` hides the order
            // of the primary key, so the plan fetches every match through the GIN index.
            input.messageScan === "walk"
              ? sql`coalesce(${messages.searchVector}, ''::tsvector)`
              : messages.searchVector
          } @@ ${prose} and ${messages.id} <= ${snapshot.maxMessageId} ${ticketFilter}
          order by ${input.messageScan === "all-matches" ? sql`${messages.id} + 0` : messages.id} desc
          limit ${cap}) m`;
  const subjectHits = !searchable.prose
    ? none("0 as ticket_id, now() as created_at, 0::real as rank")
    : input.subjectScan === "walk"
      ? // The planner prices the hidden @@ as matching 1 row in 200 and prefers reading every ticket and sorting;
        // a lateral lookup per id (its LIMIT keeps it a nested loop) keeps the walk on the primary key's order.
        sql`select s.id as ticket_id, s.created_at, ts_rank_cd(s.search_vector, ${prose}, 33) as rank
        from (select t.id from ${tickets} t where t.id <= ${snapshot.maxTicketId} order by t.id desc) ids
        cross join lateral (select ${tickets.id}, ${tickets.createdAt}, ${tickets.searchVector} from ${tickets}
          where ${tickets.id} = ids.id and coalesce(${tickets.searchVector}, ''::tsvector) @@ ${prose}
            ${ticketFilter} limit 1) s
        order by ids.id desc limit ${cap}`
      : sql`select s.id as ticket_id, s.created_at, ts_rank_cd(s.search_vector, ${prose}, 33) as rank
        from (select ${tickets.id}, ${tickets.createdAt}, ${tickets.searchVector} from ${tickets}
          where ${tickets.searchVector} @@ ${prose} and ${tickets.id} <= ${snapshot.maxTicketId} ${ticketFilter}
          order by ${tickets.id} + 0 desc limit ${cap}) s`;
  const customerHits = searchable.names
    ? sql`select ${tickets.id} as ticket_id, ${tickets.createdAt} as created_at, cm.rank
        from (select customer_id, max(rank) as rank from (
            (select ${customers.id} as customer_id, ts_rank_cd(${customers.searchVector}, ${names}, 33) as rank
              from ${customers} where ${customers.searchVector} @@ ${names}
              order by ${customers.id} desc limit ${cap})
            union all
            (select ${customerIdentities.customerId}, ts_rank_cd(${customerIdentities.searchVector}, ${names}, 33)
              from ${customerIdentities} where ${customerIdentities.searchVector} @@ ${names}
              order by ${customerIdentities.id} desc limit ${cap})
          ) c group by customer_id) cm
        join ${tickets} on ${tickets.customerId} = cm.customer_id
        where ${tickets.id} <= ${snapshot.maxTicketId} ${ticketFilter}
        order by ${tickets.id} desc limit ${cap}`
    : none("0 as ticket_id, now() as created_at, 0::real as rank");

  const keyset = input.after
    ? sql`where (score, ticket_id) < (${input.after.score}::float8, ${input.after.ticketId}::int)`
    : sql``;
  const result = await db.execute(sql`
    with message_hits as (${messageHits}),
    subject_hits as (${subjectHits}),
    customer_hits as (${customerHits}),
    message_best as (
      select distinct on (ticket_id) ticket_id, id as message_id, rank, created_at,
        count(*) over (partition by ticket_id) as matched
      from message_hits order by ticket_id, rank desc, id desc),
    hits as (
      select ticket_id, max(subject_rank) as subject_rank, max(message_rank) as message_rank,
        max(customer_rank) as customer_rank, max(hit_at) as hit_at
      from (
        select ticket_id, rank as subject_rank, 0::real as message_rank, 0::real as customer_rank,
          created_at as hit_at from subject_hits
        union all select ticket_id, 0::real, rank, 0::real, created_at from message_best
        union all select ticket_id, 0::real, 0::real, rank, created_at from customer_hits) u
      group by ticket_id),
    scored as (
      -- Recency is that of the newest matching thing: the message, or the ticket for a subject or customer match.
      select h.ticket_id, h.subject_rank, h.message_rank, h.customer_rank, mb.message_id,
        coalesce(mb.matched, 0) as matched,
        ((greatest(h.subject_rank, h.message_rank, h.customer_rank)::float8
            + 0.05::float8 * ln((1 + greatest(coalesce(mb.matched, 0) - 1, 0))::float8))
          * (1::float8 + ${recencyBoost}::float8 * power(0.5::float8, greatest(0::float8,
              ${snapshot.anchorMs / 1000}::float8 - extract(epoch from h.hit_at)::float8)
              / ${recencyHalfLifeSeconds}::float8))) as score
      from hits h
      left join message_best mb on mb.ticket_id = h.ticket_id)
    select ticket_id, score, subject_rank, message_rank, customer_rank, message_id, matched,
      (select count(*) from hits)::int as matches,
      ((select count(*) from message_hits) >= ${cap} or (select count(*) from subject_hits) >= ${cap}
        or (select count(*) from customer_hits) >= ${cap}) as capped
    from scored ${keyset}
    order by score desc, ticket_id desc
    limit ${input.limit + 1}`);
  return rowsOf<{
    ticket_id: number;
    score: number;
    subject_rank: number;
    message_rank: number;
    customer_rank: number;
    message_id: number | null;
    matched: number | string;
    matches: number;
    capped: boolean;
  }>(result).map((row) => ({
    ticketId: row.ticket_id,
    score: Number(row.score),
    subjectRank: Number(row.subject_rank),
    messageRank: Number(row.message_rank),
    customerRank: Number(row.customer_rank),
    bestMessageId: row.message_id,
    matchedMessages: Number(row.matched),
    matches: row.matches,
    capped: row.capped,
  }));
}

/**
 * What the parser must not see in ts_headline's input: our marker characters are removed, "<" and "&" are
 * swapped for stand-ins (else text that looks like a tag or entity vanishes from the snippet), and an order
 * number's dash for a separator, as the index splits it.
 */
function headlineInput(text: SQL): SQL {
  return sql`replace(replace(regexp_replace(translate(${text}, ${reservedCharacters}, ''),
    '([[:alpha:]])-([[:digit:]])', ${`\\1${dashStandIn}\\2`}, 'g'), '<', ${lessThanStandIn}), '&', ${ampersandStandIn})`;
}

const markers = `StartSel=${highlightStart}, StopSel=${highlightStop}`;
const wholeTextOptions = `HighlightAll=true, ${markers}`;
const fragmentOptions = `MaxFragments=2, MaxWords=24, MinWords=10, ShortWord=2, FragmentDelimiter=" … ", ${markers}`;
/** ts_headline reads the whole text it is given; a long mail is cut here so one page stays fast. */
const headlineTextLimit = 20_000;

/** Highlighted snippets for one page only (ts_headline is slow): subject, best message and customer. */
export async function selectTicketSnippets(
  db: Db,
  query: ParsedSearchQuery,
  page: { ticketId: number; messageId: number | null }[],
): Promise<TicketSnippetRow[]> {
  if (page.length === 0) return [];
  const prose = searchTsquery("english", query);
  const names = searchTsquery("simple", query);
  const ticketIds = `{${page.map((p) => p.ticketId).join(",")}}`;
  const messageIds = `{${page.map((p) => p.messageId ?? "NULL").join(",")}}`;
  const result = await db.execute(sql`
    select p.ticket_id,
      case when ${tickets.searchVector} @@ ${prose}
        then ts_headline('english'::regconfig, ${headlineInput(sql`${tickets.subject}`)}, ${prose}, ${wholeTextOptions})
      end as subject_headline,
      m.id as message_id, m.direction as message_direction, m.is_internal as message_is_internal,
      m.created_at as message_created_at,
      case when m.id is not null then ts_headline('english'::regconfig,
        ${headlineInput(sql`left(m.text, ${headlineTextLimit})`)}, ${prose}, ${fragmentOptions})
      end as message_headline,
      case when ${customers.searchVector} @@ ${names}
        then ts_headline('simple'::regconfig, ${headlineInput(sql`${customers.name}`)}, ${names}, ${wholeTextOptions})
      end as customer_name_headline,
      ci.kind as identity_kind,
      case when ci.value is not null
        then ts_headline('simple'::regconfig, ${headlineInput(sql`ci.value`)}, ${names}, ${wholeTextOptions})
      end as identity_headline
    from unnest(${ticketIds}::int[], ${messageIds}::int[]) as p(ticket_id, message_id)
    join ${tickets} on ${tickets.id} = p.ticket_id
    join ${customers} on ${customers.id} = ${tickets.customerId}
    left join ${messages} m on m.id = p.message_id
    left join lateral (
      select i.kind, i.value from ${customerIdentities} i
      where i.customer_id = ${customers.id} and i.search_vector @@ ${names}
      order by i.is_primary desc, i.id limit 1) ci on true`);
  return rowsOf<{
    ticket_id: number;
    subject_headline: string | null;
    message_id: number | null;
    message_direction: "inbound" | "outbound" | null;
    message_is_internal: boolean | null;
    message_created_at: Date | string | null;
    message_headline: string | null;
    customer_name_headline: string | null;
    identity_kind: string | null;
    identity_headline: string | null;
  }>(result).map((row) => ({
    ticketId: row.ticket_id,
    subjectHeadline: row.subject_headline,
    messageId: row.message_id,
    messageDirection: row.message_direction,
    messageIsInternal: row.message_is_internal,
    messageCreatedAt: row.message_created_at === null ? null : new Date(row.message_created_at),
    messageHeadline: row.message_headline,
    customerNameHeadline: row.customer_name_headline,
    identityKind: row.identity_kind,
    identityHeadline: row.identity_headline,
  }));
}
