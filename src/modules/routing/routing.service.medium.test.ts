import { and, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, testBackend, useTestDatabase } from "../../../test/db.ts";
import { buildTeam, buildTicket, buildUser } from "../../../test/factories.ts";
import { openPostgres } from "../../db/client.ts";
import { tickets, timelineEvents } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { getTicketRow, updateTicket } from "../tickets/tickets.service.ts";
import { getTeamLoads, routeTeam, setAgentStatus } from "./routing.service.ts";

describeDb("routing", () => {
  const database = useTestDatabase();

  async function teamWith(
    ctx: ReturnType<typeof buildTestContext>,
    mode: "round_robin" | "load_balanced",
    agents: { capacity: number; status?: "online" | "away" | "offline" }[],
  ) {
    const users = [];
    for (const agent of agents) {
      users.push(await buildUser(ctx, { capacity: agent.capacity, status: agent.status ?? "online" }));
    }
    const team = await buildTeam(ctx, { routingMode: mode, memberIds: users.map((user) => user.id) });
    return { team, users };
  }

  it("round-robin hands new work to each agent with room in turn", async () => {
    const ctx = buildTestContext(database.current);
    const { team, users } = await teamWith(ctx, "round_robin", [
      { capacity: 5 },
      { capacity: 5 },
      { capacity: 5 },
    ]);
    const created = [];
    for (let i = 0; i < 6; i++) created.push(await buildTicket(ctx, { teamId: team.id }));
    const assignments = await withTransaction(ctx, (tx) => routeTeam(tx, team.id));
    expect(assignments.map((a) => a.ticketId)).toEqual(created.map((t) => t.id));
    const order = assignments.map((a) => users.findIndex((u) => u.id === a.userId));
    expect(order).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it("load-balanced gives work to the least-loaded agent and never beyond capacity", async () => {
    const ctx = buildTestContext(database.current);
    const { team, users } = await teamWith(ctx, "load_balanced", [{ capacity: 1 }, { capacity: 3 }]);
    // The second agent already holds two tickets.
    for (let i = 0; i < 2; i++) await buildTicket(ctx, { teamId: team.id, assigneeId: users[1].id });
    for (let i = 0; i < 5; i++) await buildTicket(ctx, { teamId: team.id });
    const assignments = await withTransaction(ctx, (tx) => routeTeam(tx, team.id));
    // Room: 1 + 1; the rest wait unassigned for capacity.
    expect(assignments.map((a) => a.userId).sort()).toEqual([users[0].id, users[1].id].sort());
    const loads = await getTeamLoads(ctx);
    const mine = loads.find((t) => t.id === team.id)!;
    expect(mine.waiting).toBe(3);
    expect(mine.agents.map((a) => [a.load, a.capacity])).toEqual([
      [1, 1],
      [3, 3],
    ]);
  });

  it("skips away and offline agents; an agent coming online pulls waiting work", async () => {
    const ctx = buildTestContext(database.current);
    const { team, users } = await teamWith(ctx, "round_robin", [
      { capacity: 5, status: "away" },
      { capacity: 5, status: "offline" },
    ]);
    const ticket = await buildTicket(ctx, { teamId: team.id });
    expect(await withTransaction(ctx, (tx) => routeTeam(tx, team.id))).toEqual([]);
    const { assignments } = await withTransaction(ctx, (tx) => setAgentStatus(tx, users[1].id, "online"));
    expect(assignments).toEqual([{ ticketId: ticket.id, userId: users[1].id }]);
    expect((await getTicketRow(ctx, ticket.id)).assigneeId).toBe(users[1].id);
  });

  it("an agent going offline hands back unstarted work to someone online, and keeps what they started", async () => {
    const ctx = buildTestContext(database.current);
    const { team, users } = await teamWith(ctx, "round_robin", [
      { capacity: 5 },
      { capacity: 5, status: "away" },
    ]);
    const unstarted = await buildTicket(ctx, { teamId: team.id, assigneeId: users[0].id });
    const started = await buildTicket(ctx, { teamId: team.id, assigneeId: users[0].id });
    await updateTicket(ctx, started.id, { status: "open" });
    await withTransaction(ctx, (tx) => setAgentStatus(tx, users[1].id, "online"));
    const { released, assignments } = await withTransaction(ctx, (tx) =>
      setAgentStatus(tx, users[0].id, "offline"),
    );
    expect(released).toEqual([unstarted.id]);
    expect(assignments).toEqual([{ ticketId: unstarted.id, userId: users[1].id }]);
    expect((await getTicketRow(ctx, started.id)).assigneeId).toBe(users[0].id);
  });

  it("leaves a manual team's queue alone", async () => {
    const ctx = buildTestContext(database.current);
    const user = await buildUser(ctx, { status: "online" });
    const team = await buildTeam(ctx, { routingMode: "manual", memberIds: [user.id] });
    await buildTicket(ctx, { teamId: team.id });
    expect(await withTransaction(ctx, (tx) => routeTeam(tx, team.id))).toEqual([]);
  });

  it.skipIf(testBackend !== "postgres")(
    "two processes routing one team at once never give a ticket twice or exceed capacity",
    async () => {
      const ctx = buildTestContext(database.current);
      const { team, users } = await teamWith(ctx, "load_balanced", [
        { capacity: 7 },
        { capacity: 7 },
        { capacity: 7 },
      ]);
      for (let i = 0; i < 40; i++) await buildTicket(ctx, { teamId: team.id });
      // A second pool stands for a second process: its own connections to the same database.
      const url = (database.current as { url?: string }).url!;
      const other = await openPostgres(url, 4);
      try {
        const otherCtx = buildTestContext(other);
        const runs = await Promise.all(
          [ctx, otherCtx, ctx, otherCtx].map((c) => withTransaction(c, (tx) => routeTeam(tx, team.id))),
        );
        const all = runs.flat();
        expect(all).toHaveLength(21);
        expect(new Set(all.map((a) => a.ticketId)).size).toBe(21);
      } finally {
        await other.close();
      }
      const perAgent = await ctx.db
        .select({ assigneeId: tickets.assigneeId, n: sql<number>`count(*)::int` })
        .from(tickets)
        .where(eq(tickets.teamId, team.id))
        .groupBy(tickets.assigneeId);
      for (const user of users) expect(perAgent.find((row) => row.assigneeId === user.id)?.n).toBe(7);
      // Each ticket was assigned exactly once (one timeline entry each).
      const assignedEvents = await ctx.db
        .select({ ticketId: timelineEvents.ticketId, n: sql<number>`count(*)::int` })
        .from(timelineEvents)
        .where(
          and(eq(timelineEvents.kind, "ticket.updated"), sql`${timelineEvents.summary} like '%assigned to%'`),
        )
        .groupBy(timelineEvents.ticketId);
      expect(assignedEvents.filter((row) => row.n !== 1)).toEqual([]);
    },
  );
});
