import { describe, expect, it } from "vitest";
import type { Page, TicketSummary } from "../api/api-types.ts";
import { appendPage, mergeFirstPage } from "./ticket-list-merge.ts";

function ticket(id: number, minute: number): TicketSummary {
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
    frustration: null,
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

describe("appendPage", () => {
  it("skips tickets already shown", () => {
    const loaded: Page<TicketSummary> = { items: [ticket(3, 30), ticket(2, 20)], nextCursor: "c1" };
    const next: Page<TicketSummary> = { items: [ticket(2, 20), ticket(1, 10)], nextCursor: null };
    expect(ids(appendPage(loaded, next).items)).toEqual([3, 2, 1]);
  });
});
