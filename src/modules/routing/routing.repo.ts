import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { teamMembers, teams, tickets, users } from "../../db/schema.ts";

export type TeamRoutingRow = {
  id: number;
  name: string;
  routingMode: (typeof teams.$inferSelect)["routingMode"];
};

/** Locks the team's row: assignments for one team happen one transaction at a time, across processes. */
export async function lockTeam(db: Db, teamId: number): Promise<TeamRoutingRow | undefined> {
  const [row] = await db
    .select({ id: teams.id, name: teams.name, routingMode: teams.routingMode })
    .from(teams)
    .where(eq(teams.id, teamId))
    .for("update");
  return row;
}

/** Tickets that count against an agent's capacity: assigned and not waiting on the customer or done. */
export const loadStatuses = ["new", "open"] as const;

export type AgentLoadRow = {
  userId: number;
  name: string;
  role: (typeof users.$inferSelect)["role"];
  status: (typeof users.$inferSelect)["status"];
  capacity: number;
  lastAssignedAt: Date | null;
  load: number;
  unstarted: number;
};

/** The team's active members with their status, capacity and current load. */
export async function selectTeamAgentLoads(db: Db, teamId: number): Promise<AgentLoadRow[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      role: users.role,
      status: users.status,
      capacity: users.capacity,
      lastAssignedAt: users.lastAssignedAt,
      load: sql<number>`(select count(*)::int from ${tickets} t
        where t.assignee_id = ${users.id} and t.status in ('new', 'open'))`,
      unstarted: sql<number>`(select count(*)::int from ${tickets} t
        where t.assignee_id = ${users.id} and t.status = 'new')`,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), eq(users.active, true)))
    .orderBy(asc(users.id));
}

/** Unassigned work of a team, most urgent first: SLA due time, then age. Locked; other routers skip it. */
export async function selectWaitingTickets(db: Db, teamId: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(eq(tickets.teamId, teamId), isNull(tickets.assigneeId), inArray(tickets.status, [...loadStatuses])),
    )
    .orderBy(sql`${tickets.slaDueAt} asc nulls last`, asc(tickets.createdAt), asc(tickets.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return rows.map((row) => row.id);
}

export async function countWaitingTickets(db: Db, teamId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(tickets)
    .where(
      and(eq(tickets.teamId, teamId), isNull(tickets.assigneeId), inArray(tickets.status, [...loadStatuses])),
    );
  return row?.n ?? 0;
}

export async function touchLastAssigned(db: Db, userId: number, at: Date): Promise<void> {
  await db.update(users).set({ lastAssignedAt: at }).where(eq(users.id, userId));
}

export async function updateUserCapacity(db: Db, userId: number, capacity: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ capacity })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function updateTeamRoutingMode(
  db: Db,
  teamId: number,
  routingMode: TeamRoutingRow["routingMode"],
): Promise<boolean> {
  const rows = await db
    .update(teams)
    .set({ routingMode })
    .where(eq(teams.id, teamId))
    .returning({ id: teams.id });
  return rows.length > 0;
}

/** Tickets an agent holds but has not started (still `new`: no public reply yet). */
export async function selectUnstartedTicketIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.assigneeId, userId), eq(tickets.status, "new")))
    .orderBy(asc(tickets.id))
    .for("update");
  return rows.map((row) => row.id);
}

export async function selectTeamIdsOfUser(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId))
    .orderBy(asc(teamMembers.teamId));
  return rows.map((row) => row.teamId);
}

export async function selectAllTeams(db: Db): Promise<TeamRoutingRow[]> {
  return db
    .select({ id: teams.id, name: teams.name, routingMode: teams.routingMode })
    .from(teams)
    .orderBy(asc(teams.name));
}
