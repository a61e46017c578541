import type { Db } from "../../db/client.ts";
import { timelineEvents } from "../../db/schema.ts";

export type TimelineEventInput = {
  customerId: number;
  kind: string;
  summary: string;
  ticketId?: number | null;
  actorUserId?: number | null;
  data?: Record<string, unknown>;
  occurredAt: Date;
};

/** Appends to the customer's single timeline of everything that happened to them. */
export async function recordTimelineEvent(db: Db, input: TimelineEventInput): Promise<void> {
  await db.insert(timelineEvents).values({
    customerId: input.customerId,
    kind: input.kind,
    summary: input.summary,
    ticketId: input.ticketId ?? null,
    actorUserId: input.actorUserId ?? null,
    data: input.data ?? {},
    occurredAt: input.occurredAt,
  });
}

/** Appends several events in one statement; for hot paths that would otherwise insert them one by one. */
export async function recordTimelineEvents(db: Db, inputs: TimelineEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await db.insert(timelineEvents).values(
    inputs.map((input) => ({
      customerId: input.customerId,
      kind: input.kind,
      summary: input.summary,
      ticketId: input.ticketId ?? null,
      actorUserId: input.actorUserId ?? null,
      data: input.data ?? {},
      occurredAt: input.occurredAt,
    })),
  );
}
