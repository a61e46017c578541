import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "./search-query.ts";
import { headlineToHtml, highlightStart, highlightStop } from "./search-snippet.ts";
import { chooseMessageScan } from "./tickets-search.repo.ts";

describe("parseSearchQuery", () => {
  const plain = (q: string) => parseSearchQuery(q, { prefix: false });
  const typing = (q: string) => parseSearchQuery(q, { prefix: true });

  it("passes websearch syntax through", () => {
    expect(plain('"late parcel" -refund or return')).toEqual({
      text: '"late parcel" -refund or return',
      prefix: null,
    });
  });

  it("turns an order number into the phrase the index holds", () => {
    expect(plain("where is TW-31574?").text).toBe('where is "TW 31574"?');
    expect(plain('"order TW-31574"').text).toBe('"order TW 31574"');
    expect(plain("-AB-12").text).toBe('-"AB 12"');
  });

  it("offers a phone number by its last nine digits or as written", () => {
    expect(plain("+44 20 7946 0018").text).toBe('079460018 or "+44 20 7946 0018"');
    expect(plain("call 020-7946-0018 now").text).toBe('call 079460018 or "020-7946-0018" now');
    expect(plain("room 1234").text).toBe("room 1234");
  });

  it("turns control characters into spaces", () => {
    expect(plain("kite\u0000string\n").text).toBe("kite string");
  });

  it("matches the last word as a prefix only while it is being typed", () => {
    expect(typing("broken marmal")).toEqual({ text: "broken", prefix: "marmal" });
    expect(typing("Marm")).toEqual({ text: "", prefix: "marm" });
    expect(typing("broken marmal ")).toEqual({ text: "broken marmal", prefix: null });
    expect(typing("ma")).toEqual({ text: "ma", prefix: null });
    expect(typing("-marmal")).toEqual({ text: "-marmal", prefix: null });
    expect(typing('"broken marmal')).toEqual({ text: '"broken marmal', prefix: null });
    expect(typing("jam or marmal")).toEqual({ text: "jam or marmal", prefix: null });
    expect(typing("TW-315")).toEqual({ text: '"TW 315"', prefix: null });
  });

  it("never returns a prefix that is not plain letters and digits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (q) => {
        const { prefix, text } = typing(q);
        if (prefix !== null) expect(prefix).toMatch(/^[\p{L}\p{N}]{3,}$/u);
        expect([...text].some((char) => char.charCodeAt(0) < 0x20)).toBe(false);
      }),
    );
  });
});

describe("headlineToHtml", () => {
  it("escapes the text and turns only the markers into <mark>", () => {
    expect(headlineToHtml(`<b>a</b> & ${highlightStart}refund${highlightStop} "x" 'y'`)).toBe(
      "&lt;b&gt;a&lt;/b&gt; &amp; <mark>refund</mark> &quot;x&quot; &#39;y&#39;",
    );
    expect(headlineToHtml(`\uE002script>\uE003amp; TW\uE00431574`)).toBe("&lt;script&gt;&amp;amp; TW-31574");
  });

  it("closes an open highlight and ignores a stray stop", () => {
    expect(headlineToHtml(`${highlightStop}a ${highlightStart}b`)).toBe("a <mark>b</mark>");
  });

  it("never lets markup other than <mark> through", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom(highlightStart, highlightStop, "<", ">", "&", '"'))),
        (parts) => {
          const html = headlineToHtml(parts.join(""));
          const withoutMarks = html.replace(/<\/?mark>/g, "");
          expect(withoutMarks).not.toMatch(/[<>"']/);
          expect(withoutMarks.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
        },
      ),
    );
  });
});

describe("chooseMessageScan", () => {
  const messages = 1_000_000;
  const cap = 1000;
  const probe = (matching: number, passing = matching) => ({ read: 2000, matching, passing });

  it("walks the newest messages for common words", () => {
    expect(chooseMessageScan(probe(400), messages, cap)).toBe("walk");
    expect(chooseMessageScan(probe(22), messages, cap)).toBe("walk");
  });

  it("fetches every match for rare words, and when a filter lets few of the newest through", () => {
    expect(chooseMessageScan(probe(0), messages, cap)).toBe("all-matches");
    expect(chooseMessageScan(probe(4), messages, cap)).toBe("all-matches");
    expect(chooseMessageScan(probe(22, 2), messages, cap)).toBe("all-matches");
    expect(chooseMessageScan({ read: 0, matching: 0, passing: 0 }, messages, cap)).toBe("all-matches");
  });
});

describe("chooseMessageScan with a creation-date range", () => {
  const messages = 1_000_000;
  const cap = 1000;

  it("walks the range's tickets when the range lies years back and the word is common", () => {
    // "please" in about one message in six; none of the newest 2,000 messages is in a 2023 range.
    const newest = { read: 2000, matching: 330, passing: 0 };
    const range = { probe: { read: 1000, passing: 1000 }, messagesPerTicket: 5 };
    expect(chooseMessageScan(newest, messages, cap, 10, range)).toBe("by-ticket");
    expect(chooseMessageScan(newest, messages, cap)).toBe("all-matches");
  });

  it("keeps fetching every match for a rare word, and walking the newest messages for a recent range", () => {
    const range = { probe: { read: 1000, passing: 1000 }, messagesPerTicket: 5 };
    expect(chooseMessageScan({ read: 2000, matching: 1, passing: 0 }, messages, cap, 10, range)).toBe(
      "all-matches",
    );
    expect(chooseMessageScan({ read: 2000, matching: 400, passing: 400 }, messages, cap, 10, range)).toBe(
      "walk",
    );
  });
});
