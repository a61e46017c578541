import { describe, expect, it } from "vitest";
import type { Frustration, Page, TicketSummary } from "../api/api-types.ts";
import { appendPage, compareTickets, mergeFirstPage } from "./ticket-list-merge.ts";

function ticket(id: number, minute: number, level: Frustration["level"] | null = null): TicketSummary {
  return {
    id,
    subject: `Ticket ${id}`,
    status: "open",
    priority: "normal",
    channel: "email",
    customer: { id: 1, name: "Ada", email: "ada@example.com" },
    assignee: null,
    team: null,
    tags: [],
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    lastMessageAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(),
    preview: "",
    customerRisk: null,
    frustration: level && { score: level === "high" ? 0.8 : level === "mild" ? 0.4 : 0.1, level, cues: [] },
    sla: { policyId: null, dueAt: null, dueMetric: null, breached: false, warning: false, targets: [] },
  };
}

const ids = (items: TicketSummary[]) => items.map((item) => item.id);

describe("mergeFirstPage", () => {
  it("puts a new ticket on top and keeps the older pages the agent loaded", () => {
    const loaded = { items: [ticket(5, 50), ticket(4, 40), ticket(3, 30), ticket(2, 20)], nextCursor: "c2" };
    const fresh = { items: [ticket(6, 60), ticket(5, 50)], nextCursor: "c1" };
    const merged = mergeFirstPage(loaded, fresh);
    expect(ids(merged.items)).toEqual([6, 5, 4, 3, 2]);
    expect(merged.nextCursor).toBe("c2");
  });

  it("drops a ticket that left the view from the part the first page covers", () => {
    const loaded = { items: [ticket(5, 50), ticket(4, 40), ticket(3, 30), ticket(2, 20)], nextCursor: "c2" };
    // Ticket 4 was solved: the fresh first page no longer has it.
    const fresh = { items: [ticket(5, 50), ticket(3, 30)], nextCursor: "c1" };
    expect(ids(mergeFirstPage(loaded, fresh).items)).toEqual([5, 3, 2]);
  });

  it("takes the first page as it is when it is the whole list", () => {
    const loaded = { items: [ticket(2, 20), ticket(1, 10)], nextCursor: null };
    const fresh = { items: [ticket(3, 30), ticket(2, 20), ticket(1, 10)], nextCursor: null };
    expect(mergeFirstPage(loaded, fresh)).toEqual(fresh);
  });
});

describe("the frustration order of the open views", () => {
  it("sorts frustrated, then annoyed, then the rest, each newest first", () => {
    const items = [
      ticket(1, 10),
      ticket(2, 20, "mild"),
      ticket(3, 30),
      ticket(4, 5, "high"),
      ticket(5, 1, "none"),
    ];
    expect(ids([...items].sort((a, b) => compareTickets(a, b, "frustration")))).toEqual([4, 2, 3, 1, 5]);
    expect(ids([...items].sort((a, b) => compareTickets(a, b)))).toEqual([3, 2, 1, 4, 5]);
  });

  it("keeps loaded calm tickets below a first page that ends in frustrated ones", () => {
    // Page 1 holds the frustrated tickets; the agent had loaded calm ones below, some newer than them.
    const loaded = {
      items: [ticket(9, 5, "high"), ticket(8, 4, "high"), ticket(7, 50), ticket(6, 40)],
      nextCursor: "c2",
      order: "frustration" as const,
    };
    const fresh = {
      items: [ticket(10, 60, "high"), ticket(9, 5, "high")],
      nextCursor: "c1",
      order: "frustration" as const,
    };
    expect(ids(mergeFirstPage(loaded, fresh).items)).toEqual([10, 9, 8, 7, 6]);
  });
});

describe("appendPage", () => {
  it("skips tickets already shown", () => {
    const loaded: Page<TicketSummary> = { items: [ticket(3, 30), ticket(2, 20)], nextCursor: "c1" };
    const next: Page<TicketSummary> = { items: [ticket(2, 20), ticket(1, 10)], nextCursor: null };
    expect(ids(appendPage(loaded, next).items)).toEqual([3, 2, 1]);
  });
});
