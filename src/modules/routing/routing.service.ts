import type { ServiceContext } from "../../context.ts";
import { notFound } from "../../errors.ts";
import { updateTicket } from "../tickets/tickets.service.ts";
import { recordAgentStatus } from "../users/users.service.ts";
import { pickAgent, type RoutingMode } from "./agent-choice.ts";
import {
  type AgentLoadRow,
  countWaitingTickets,
  lockTeam,
  selectAllTeams,
  selectTeamAgentLoads,
  selectTeamIdsOfUser,
  selectUnstartedTicketIds,
  selectWaitingTickets,
  touchLastAssigned,
  updateTeamRoutingMode,
  updateUserCapacity,
} from "./routing.repo.ts";

type Ctx = ServiceContext;

export type Assignment = { ticketId: number; userId: number };

/**
 * Gives a team's unassigned work to its agents with room, most urgent first, until nobody has room or nothing
 * waits. Runs in the caller's transaction and locks the team's row, so two processes routing the same team take
 * turns; a ticket is only ever taken while unassigned and locked, so it never goes to two agents.
 */
export async function routeTeam(ctx: Ctx, teamId: number): Promise<Assignment[]> {
  const team = await lockTeam(ctx.db, teamId);
  if (!team || team.routingMode === "manual") return [];
  const agents = await selectTeamAgentLoads(ctx.db, teamId);
  const room = agents
    .filter((agent) => agent.status === "online")
    .reduce((sum, agent) => sum + Math.max(0, agent.capacity - agent.load), 0);
  if (room === 0) return [];
  const waiting = await selectWaitingTickets(ctx.db, teamId, room);
  const assignments: Assignment[] = [];
  const base = ctx.clock.now().getTime();
  for (const ticketId of waiting) {
    const agent = pickAgent(agents, team.routingMode);
    if (!agent) break;
    await updateTicket(ctx, ticketId, { assigneeId: agent.userId });
    // Strictly increasing stamps keep the turn order exact within one batch.
    const at = new Date(base + assignments.length);
    agent.load += 1;
    agent.lastAssignedAt = at;
    await touchLastAssigned(ctx.db, agent.userId, at);
    assignments.push({ ticketId, userId: agent.userId });
  }
  return assignments;
}

/** Routes every team the user belongs to (after they came online, freed capacity or went offline). */
export async function routeTeamsOfUser(ctx: Ctx, userId: number): Promise<Assignment[]> {
  const assignments: Assignment[] = [];
  for (const teamId of await selectTeamIdsOfUser(ctx.db, userId)) {
    assignments.push(...(await routeTeam(ctx, teamId)));
  }
  return assignments;
}

export type AgentStatus = AgentLoadRow["status"];

/**
 * Sets an agent's availability. Going offline hands back the tickets they have not started (still `new`) so
 * their teams can route them to someone present; away keeps their work but sends them nothing new.
 */
export async function setAgentStatus(
  ctx: Ctx,
  userId: number,
  status: AgentStatus,
): Promise<{ released: number[]; assignments: Assignment[] }> {
  await recordAgentStatus(ctx, userId, status);
  const released: number[] = [];
  if (status === "offline") {
    for (const ticketId of await selectUnstartedTicketIds(ctx.db, userId)) {
      await updateTicket(ctx, ticketId, { assigneeId: null });
      released.push(ticketId);
    }
  }
  // Coming online opens room; going offline leaves released work for the others.
  const assignments = status === "away" ? [] : await routeTeamsOfUser(ctx, userId);
  return { released, assignments };
}

export async function setAgentCapacity(ctx: Ctx, userId: number, capacity: number): Promise<Assignment[]> {
  if (!(await updateUserCapacity(ctx.db, userId, capacity))) throw notFound("User", userId);
  return routeTeamsOfUser(ctx, userId);
}

export async function setTeamRoutingMode(ctx: Ctx, teamId: number, mode: RoutingMode): Promise<Assignment[]> {
  if (!(await updateTeamRoutingMode(ctx.db, teamId, mode))) throw notFound("Team", teamId);
  return routeTeam(ctx, teamId);
}

export type TeamLoad = {
  id: number;
  name: string;
  routingMode: RoutingMode;
  waiting: number;
  agents: AgentLoadRow[];
};

/** Each team's routing mode, unassigned queue and every member's status, capacity and load (for leads). */
export async function getTeamLoads(ctx: Pick<Ctx, "db">): Promise<TeamLoad[]> {
  const teams = await selectAllTeams(ctx.db);
  const result: TeamLoad[] = [];
  for (const team of teams) {
    result.push({
      ...team,
      waiting: await countWaitingTickets(ctx.db, team.id),
      agents: await selectTeamAgentLoads(ctx.db, team.id),
    });
  }
  return result;
}
