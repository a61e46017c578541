/** An agent as routing sees them when choosing who gets the next ticket. */
export type RoutingCandidate = {
  userId: number;
  status: "online" | "away" | "offline";
  capacity: number;
  load: number;
  lastAssignedAt: Date | null;
};

export type RoutingMode = "manual" | "round_robin" | "load_balanced";

/** Whether an agent can take another ticket: online and below capacity. */
export function hasRoom(agent: RoutingCandidate): boolean {
  return agent.status === "online" && agent.load < agent.capacity;
}

const turnOrder = (a: RoutingCandidate, b: RoutingCandidate) => {
  const at = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return at - bt || a.userId - b.userId;
};

/**
 * Who gets the next ticket. Round-robin: among agents with room, the one whose last assignment is oldest.
 * Load-balanced: the one with the fewest open tickets, turn order breaking ties. Manual: nobody.
 */
export function pickAgent<C extends RoutingCandidate>(agents: C[], mode: RoutingMode): C | null {
  if (mode === "manual") return null;
  const open = agents.filter(hasRoom);
  if (open.length === 0) return null;
  const order = mode === "round_robin" ? turnOrder : (a: C, b: C) => a.load - b.load || turnOrder(a, b);
  return [...open].sort(order)[0];
}
