import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { withTransaction } from "../../db/transaction.ts";
import { type SignedIn, signInAs } from "../../http/auth-test-helpers.ts";
import { createCustomer } from "../customers/customers.service.ts";
import { parseSearchQuery } from "./search-query.ts";
import {
  addMessage,
  type Channel,
  createTicket,
  type TicketStatus,
  updateTicket,
} from "./tickets.service.ts";
import { type MessageScan, selectRankedTickets, selectSearchStart } from "./tickets-search.repo.ts";

type Snippet =
  | { source: "subject"; html: string }
  | {
      source: "message";
      messageId: number;
      direction: string;
      isInternal: boolean;
      createdAt: string;
      html: string;
    }
  | { source: "customer"; field: string; html: string };
type Item = {
  id: number;
  subject: string;
  status: string;
  channel: string;
  tags: string[];
  createdAt: string;
  match?: { score: number; matchedMessages: number; snippets: Snippet[] };
};
type ListBody = { items: Item[]; nextCursor: string | null; search?: { matches: number; capped: boolean } };

describeDb("ticket search API", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let agent: SignedIn;
  let seq = 0;

  beforeAll(async () => {
    app = await buildTestApp(database.current, {});
    agent = await signInAs(app, "agent", "Sam Searcher");
  });
  afterAll(async () => app.close());

  /** A customer's ticket with messages; `at` sets the clock (ISO) for the whole ticket, else one second later. */
  async function seed(options: {
    subject?: string;
    messages?: { text: string; internal?: boolean; direction?: "inbound" | "outbound" }[];
    name?: string;
    email?: string;
    phone?: string;
    status?: TicketStatus;
    channel?: Channel;
    tags?: string[];
    assigneeId?: number | null;
    at?: string;
  }) {
    if (options.at) app.context.clock.set(options.at);
    else app.context.clock.advance(1000);
    const n = ++seq;
    return withTransaction(app.context, async (tx) => {
      const customerId = await createCustomer(tx, {
        name: options.name ?? `Person ${n}`,
        identities: [
          { kind: "email", value: options.email ?? `person${n}@example.net` },
          ...(options.phone ? [{ kind: "phone" as const, value: options.phone }] : []),
        ],
      });
      const ticket = await createTicket(tx, {
        subject: options.subject ?? `Ticket ${n}`,
        customerId,
        channel: options.channel ?? "email",
        tags: options.tags,
        assigneeId: options.assigneeId ?? null,
      });
      for (const message of options.messages ?? [{ text: `Plain message number ${n}` }]) {
        await addMessage(tx, {
          ticketId: ticket.id,
          direction: message.internal ? "outbound" : (message.direction ?? "inbound"),
          isInternal: message.internal ?? false,
          channel: options.channel ?? "email",
          authorCustomerId: message.internal ? null : customerId,
          text: message.text,
          deliveryStatus: message.internal ? "sent" : "received",
        });
      }
      if (options.status && options.status !== "new")
        await updateTicket(tx, ticket.id, { status: options.status });
      return { ...ticket, customerId };
    });
  }

  const search = async (params: Record<string, string>) => {
    const response = await app.inject({
      method: "GET",
      url: `/api/v1/tickets?${new URLSearchParams(params)}`,
      headers: { cookie: agent.cookie },
    });
    return response;
  };
  const found = async (params: Record<string, string>) => {
    const response = await search(params);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ListBody;
  };
  const ids = (body: ListBody) => body.items.map((item) => item.id);

  describe("matching", () => {
    it("finds other forms of a word (refunds → refund) and highlights it in the message", async () => {
      const ticket = await seed({
        messages: [{ text: "Hello, I would like a refund for the blue kettle." }],
      });
      const body = await found({ q: "refunds" });
      expect(ids(body)).toContain(ticket.id);
      const item = body.items.find((i) => i.id === ticket.id);
      const snippet = item?.match?.snippets.find((s) => s.source === "message");
      expect(snippet).toMatchObject({ source: "message", direction: "inbound", isInternal: false });
      expect(snippet?.html).toContain("<mark>refund</mark>");
      expect(body.search?.matches).toBeGreaterThanOrEqual(1);
    });

    it("matches quoted phrases in order, excludes -words and accepts or", async () => {
      const phrase = await seed({ messages: [{ text: "Where is my tracking number for the lamp?" }] });
      const apart = await seed({
        messages: [{ text: "The number on the box does not help with tracking." }],
      });
      const phraseHits = ids(await found({ q: '"tracking number"' }));
      expect(phraseHits).toContain(phrase.id);
      expect(phraseHits).not.toContain(apart.id);
      const both = ids(await found({ q: "tracking number" }));
      expect(both).toEqual(expect.arrayContaining([phrase.id, apart.id]));
      const excluded = ids(await found({ q: "tracking -lamp" }));
      expect(excluded).toContain(apart.id);
      expect(excluded).not.toContain(phrase.id);
      const either = ids(await found({ q: "lamp or box" }));
      expect(either).toEqual(expect.arrayContaining([phrase.id, apart.id]));
    });

    it("finds an order number as pasted, in lower case, and by its digits", async () => {
      const ticket = await seed({
        messages: [{ text: "My order TW-31574 arrived broken, order TW-99999 too." }],
      });
      for (const q of ["TW-31574", "tw-31574", "31574", "#31574"]) {
        const body = await found({ q });
        expect(ids(body), q).toEqual([ticket.id]);
      }
      const html = (await found({ q: "TW-31574" })).items[0].match?.snippets[0].html;
      expect(html).toContain("<mark>TW</mark>-<mark>31574</mark> arrived");
    });

    it("finds a customer by email address, by its domain, by name and by phone number in another format", async () => {
      const ticket = await seed({
        name: "Zoë Quixote",
        email: "zoe.quixote@windmill.example",
        phone: "+44 20 7946 0018",
        subject: "Hinges",
      });
      const byEmail = await found({ q: "Zoe.Quixote@windmill.example" });
      expect(ids(byEmail)).toEqual([ticket.id]);
      expect(byEmail.items[0].match?.snippets).toContainEqual({
        source: "customer",
        field: "email",
        html: "<mark>zoe.quixote@windmill.example</mark>",
      });
      expect(ids(await found({ q: "windmill.example" }))).toEqual([ticket.id]);
      const byName = await found({ q: "quixote" });
      expect(ids(byName)).toEqual([ticket.id]);
      expect(byName.items[0].match?.snippets).toContainEqual({
        source: "customer",
        field: "name",
        html: "Zoë <mark>Quixote</mark>",
      });
      expect(ids(await found({ q: "020 7946 0018" }))).toEqual([ticket.id]);
      expect(ids(await found({ q: "+44 (0)20 7946-0018" }))).toEqual([ticket.id]);
    });

    it("finds internal notes and says they are notes", async () => {
      const ticket = await seed({
        messages: [
          { text: "The strap snapped after a week." },
          { text: "Goodwill voucher approved by Dana", internal: true },
        ],
      });
      const body = await found({ q: "goodwill voucher" });
      expect(ids(body)).toEqual([ticket.id]);
      const snippet = body.items[0].match?.snippets[0];
      expect(snippet).toMatchObject({ source: "message", isInternal: true, direction: "outbound" });
      expect(snippet?.html).toBe("<mark>Goodwill</mark> <mark>voucher</mark> approved by Dana");
    });

    it("finds tickets from years back", async () => {
      const old = await seed({
        at: "2019-03-14T10:00:00Z",
        subject: "Sundial warranty",
        messages: [{ text: "The gnomon of my sundial is bent." }],
      });
      app.context.clock.set("2026-01-05T09:00:00Z");
      await seed({ subject: "Anything else", messages: [{ text: "A newer message about tea." }] });
      const body = await found({ q: "gnomon" });
      expect(ids(body)).toEqual([old.id]);
      expect(body.items[0].createdAt).toBe("2019-03-14T10:00:00.000Z");
    });

    it("ranks a subject match above a body match, and a recent hit above an equal old one", async () => {
      const bodyOnly = await seed({
        subject: "Question",
        messages: [{ text: "About the periscope I bought." }],
      });
      const inSubject = await seed({ subject: "Periscope", messages: [{ text: "It fogs up." }] });
      const order = ids(await found({ q: "periscope" }));
      expect(order.indexOf(inSubject.id)).toBeLessThan(order.indexOf(bodyOnly.id));

      const older = await seed({
        at: "2024-01-01T00:00:00Z",
        messages: [{ text: "The xylograph is late." }],
      });
      app.context.clock.set("2026-01-05T09:00:00Z");
      const newer = await seed({ messages: [{ text: "The xylograph is late." }] });
      expect(ids(await found({ q: "xylograph" }))).toEqual([newer.id, older.id]);
    });

    it("matches the last word as a prefix only when asked (search as you type)", async () => {
      const ticket = await seed({ messages: [{ text: "The marmalade jar leaks." }] });
      expect(ids(await found({ q: "marmal" }))).not.toContain(ticket.id);
      expect(ids(await found({ q: "marmal", prefix: "true" }))).toContain(ticket.id);
      expect(ids(await found({ q: "jar marmal", prefix: "1" }))).toContain(ticket.id);
    });
  });

  it("shows text that looks like HTML escaped; only the highlight is markup", async () => {
    const ticket = await seed({
      subject: "<img src=x onerror=alert(1)> complaint",
      messages: [{ text: "Look: <script>alert('quokka')</script> & <b>bold</b> quokka \uE000fake\uE001" }],
    });
    const body = await found({ q: "complaint or quokka" });
    const item = body.items.find((i) => i.id === ticket.id);
    const html = item?.match?.snippets.map((s) => s.html).join("\n") ?? "";
    expect(html).toContain(
      "&lt;script&gt;alert(&#39;<mark>quokka</mark>&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold",
    );
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; <mark>complaint</mark>");
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(new Set(tags)).toEqual(new Set(["<mark>", "</mark>"]));
    expect(html).not.toContain("\uE000");
  });

  it("combines q with status, assignee, channel, tag and creation dates", async () => {
    const base = { messages: [{ text: "The gazebo roof leaks." }] };
    const solvedChat = await seed({ ...base, status: "solved", channel: "chat", tags: ["Garden"] });
    const openEmail = await seed({ ...base, status: "open", channel: "email", assigneeId: agent.user.id });
    const old = await seed({
      ...base,
      at: "2021-06-01T12:00:00Z",
      channel: "phone",
      tags: ["garden", "vip"],
    });
    app.context.clock.set("2026-01-05T09:00:00Z");
    expect(ids(await found({ q: "gazebo", status: "solved" }))).toEqual([solvedChat.id]);
    expect(ids(await found({ q: "gazebo", view: "open" }))).toEqual(
      expect.arrayContaining([openEmail.id, old.id]),
    );
    expect(ids(await found({ q: "gazebo", assignee: "me" }))).toEqual([openEmail.id]);
    expect(ids(await found({ q: "gazebo", channel: "chat,phone" })).sort()).toEqual(
      [solvedChat.id, old.id].sort(),
    );
    expect(ids(await found({ q: "gazebo", tag: "garden" })).sort()).toEqual([solvedChat.id, old.id].sort());
    expect(ids(await found({ q: "gazebo", tag: "GARDEN,vip" }))).toEqual([old.id]);
    expect(ids(await found({ q: "gazebo", createdFrom: "2021-06-01", createdTo: "2021-06-01" }))).toEqual([
      old.id,
    ]);
    expect(ids(await found({ q: "gazebo", createdTo: "2021-05-31" }))).toEqual([]);
    expect(ids(await found({ q: "gazebo", createdFrom: "2025-01-01T00:00:00Z" }))).not.toContain(old.id);
    // The same filters list without q, by last activity.
    expect(ids(await found({ tag: "vip", channel: "phone" }))).toEqual([old.id]);
  });

  it("ranks the same candidates whichever plan finds the messages of a date range", async () => {
    const range = {
      createdFrom: new Date("2022-03-01T00:00:00Z"),
      createdBefore: new Date("2022-04-01T00:00:00Z"),
    };
    for (const [day, text] of [
      ["2022-02-27", "The pergola kit arrived without screws."],
      ["2022-03-02", "The pergola kit is missing two screws and a bracket."],
      ["2022-03-15", "Pergola assembled. Thanks!"],
      ["2022-03-30", "Pergola screws rusted after the rain; pergola screws again please."],
      ["2022-04-02", "Another pergola question."],
    ]) {
      await seed({ at: `${day}T10:00:00Z`, messages: [{ text }, { text: "No mention here." }] });
    }
    await seed({
      at: "2022-03-20T10:00:00Z",
      subject: "Pergola screws",
      messages: [{ text: "See subject." }],
    });
    const query = parseSearchQuery("pergola screws", { prefix: false });
    const rank = async (messageScan: MessageScan, subjectScan: MessageScan = "all-matches") => {
      const snapshot = (await selectSearchStart(app.context.db, query, app.context.clock.now().getTime()))
        .snapshot;
      if (!snapshot) throw new Error("a first page takes a snapshot");
      return selectRankedTickets(app.context.db, {
        query,
        searchable: { prose: true, names: true },
        filter: { ...range, meUserId: agent.user.id },
        snapshot,
        limit: 10,
        messageScan,
        subjectScan,
      });
    };
    const byTicket = await rank("by-ticket");
    // Two tickets by a message, one by its subject (the subject outranks the bodies).
    expect(byTicket.map((row) => [row.subjectRank > 0, row.matchedMessages])).toEqual([
      [true, 0],
      [false, 1],
      [false, 1],
    ]);
    expect(byTicket).toEqual(await rank("all-matches"));
    expect(byTicket).toEqual(await rank("walk", "walk"));
    expect(byTicket).toEqual(await rank("by-ticket", "walk"));
  });

  it("pages through ranked results without repeats or gaps while new matches arrive", async () => {
    const seeded: number[] = [];
    for (let i = 0; i < 13; i++) {
      const text = i % 3 === 0 ? "pelican pelican pelican case" : "pelican case";
      seeded.push((await seed({ messages: [{ text }] })).id);
    }
    const all = await found({ q: "pelican", limit: "50" });
    expect(ids(all).sort()).toEqual([...seeded].sort());
    const walked: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const body: ListBody = await found({ q: "pelican", limit: "4", ...(cursor ? { cursor } : {}) });
      walked.push(...ids(body));
      cursor = body.nextCursor;
      if (!cursor) break;
      await seed({ subject: "Pelican", messages: [{ text: "another pelican case" }] });
    }
    expect(walked).toEqual(ids(all));
    const scores = (await found({ q: "pelican", limit: "50" })).items.map((i) => i.match?.score ?? 0);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("answers odd or hostile queries with results or a 400, never a 500", async () => {
    await seed({ messages: [{ text: "robert'); drop table tickets;-- ordered a kite" }] });
    const queries = [
      "&&&",
      "'",
      "''",
      '"',
      '"unclosed phrase',
      "!",
      "a:*",
      "kite:* & !",
      "(kite | drop",
      "-kite",
      "-",
      "or",
      "the",
      "robert'); drop table tickets;--",
      "\\",
      "%",
      "_",
      "\u0000kite",
      "kite\u0000",
      "😀 kite",
      "x".repeat(499),
      "kite ".repeat(99),
    ];
    for (const q of queries) {
      for (const prefix of ["true", "false"]) {
        const response = await search({ q, prefix });
        expect(response.statusCode, JSON.stringify(q)).toBe(200);
        expect(Array.isArray(response.json().items)).toBe(true);
      }
    }
    expect(ids(await found({ q: "robert'); drop table tickets;--" }))).toHaveLength(1);
    expect((await found({ q: "-kite" })).items).toEqual([]);
    const long = await search({ q: "k".repeat(10_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.details[0].path).toBe("querystring.q");
    const cases: [Record<string, string>, string][] = [
      [{ q: "kite", channel: "pigeon" }, "querystring.channel"],
      [{ q: "kite", createdFrom: "yesterday" }, "querystring.createdFrom"],
      [{ q: "kite", createdTo: "2024-02-31" }, "querystring.createdTo"],
      [{ q: "kite", prefix: "maybe" }, "querystring.prefix"],
    ];
    for (const [params, path] of cases) {
      const response = await search(params);
      expect(response.statusCode, JSON.stringify(params)).toBe(400);
      const paths: string[] = response.json().error.details.map((d: { path: string }) => d.path);
      expect(
        paths.some((p) => p === path || p.startsWith(`${path}.`)),
        `${JSON.stringify(params)} ${paths}`,
      ).toBe(true);
    }
  });

  it("refuses a cursor from another search or from the plain list", async () => {
    for (let i = 0; i < 3; i++) await seed({ messages: [{ text: "walrus tusk polish" }] });
    const first = await found({ q: "walrus", limit: "1" });
    expect(first.nextCursor).not.toBeNull();
    const cursor = first.nextCursor ?? "";
    expect((await search({ q: "tusk", limit: "1", cursor })).statusCode).toBe(400);
    expect((await search({ limit: "1", cursor })).statusCode).toBe(400);
    const list = await found({ limit: "1" });
    expect((await search({ q: "walrus", cursor: list.nextCursor ?? "" })).statusCode).toBe(400);
  });
});
