import { describe, expect, it } from "vitest";
import { isRetentionPath, parseRoute, routeToUrl } from "./app-route.ts";

describe("app routes", () => {
  it("round-trips a view, an open ticket and a search through the URL", () => {
    const route = { view: "pending" as const, ticketId: 42, q: "refund & return" };
    const url = new URL(routeToUrl(route), "http://tend.test");
    expect(parseRoute(url.pathname, url.search)).toEqual(route);
  });

  it("keeps the list filters in the URL", () => {
    const route = {
      view: "all" as const,
      ticketId: null,
      q: "refund",
      filters: { status: "open,pending", channel: "chat", tag: "vip", createdFrom: "2021-01-01" },
    };
    const url = routeToUrl(route);
    expect(url).toBe("/inbox/all?q=refund&status=open%2Cpending&channel=chat&tag=vip&createdFrom=2021-01-01");
    const parsed = new URL(url, "http://tend.test");
    expect(parseRoute(parsed.pathname, parsed.search)).toEqual(route);
  });

  it("lands on my inbox for / and for unknown views", () => {
    expect(parseRoute("/", "")).toEqual({ view: "mine", ticketId: null, q: "" });
    expect(parseRoute("/inbox/bogus", "")).toEqual({ view: "mine", ticketId: null, q: "" });
  });

  it("knows the retention dashboard's address", () => {
    expect(isRetentionPath("/retention")).toBe(true);
    expect(isRetentionPath("/retention/")).toBe(true);
    expect(isRetentionPath("/retentions")).toBe(false);
    expect(isRetentionPath("/inbox/mine")).toBe(false);
  });
});
