import { describe, expect, it } from "vitest";
import { parseRoute, routeToUrl } from "./app-route.ts";

describe("app routes", () => {
  it("round-trips a view, an open ticket and a search through the URL", () => {
    const route = { view: "pending" as const, ticketId: 42, q: "refund & return" };
    const url = new URL(routeToUrl(route), "http://tend.test");
    expect(parseRoute(url.pathname, url.search)).toEqual(route);
  });

  it("lands on my inbox for / and for unknown views", () => {
    expect(parseRoute("/", "")).toEqual({ view: "mine", ticketId: null, q: "" });
    expect(parseRoute("/inbox/bogus", "")).toEqual({ view: "mine", ticketId: null, q: "" });
  });
});
