import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { notifications } from "../../db/schema.ts";

type Ctx = Pick<ServiceContext, "db" | "clock" | "events">;

export type NotificationRow = typeof notifications.$inferSelect;

/** Tells each user something about a ticket in the app (SLA warnings and breaches, escalations, assignments). */
export async function notifyUsers(
  ctx: Ctx,
  userIds: number[],
  input: { kind: string; ticketId: number | null; text: string },
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const now = ctx.clock.now();
  await ctx.db.insert(notifications).values(unique.map((userId) => ({ userId, ...input, createdAt: now })));
  for (const userId of unique) {
    ctx.events.publish({ type: "notification.created", userId, ticketId: input.ticketId, kind: input.kind });
  }
}

export async function listNotifications(
  ctx: Pick<Ctx, "db">,
  userId: number,
  options: { unreadOnly?: boolean; limit?: number } = {},
): Promise<{ items: NotificationRow[]; unread: number }> {
  const where = options.unreadOnly
    ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
    : eq(notifications.userId, userId);
  const items = await ctx.db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit ?? 50);
  const [count] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return { items, unread: count?.n ?? 0 };
}

/** Marks the given notifications (or all of the user's, without ids) read; other users' are never touched. */
export async function markNotificationsRead(ctx: Pick<Ctx, "db" | "clock">, userId: number, ids?: number[]) {
  const mine = eq(notifications.userId, userId);
  const unread = isNull(notifications.readAt);
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(ids ? and(mine, unread, inArray(notifications.id, ids)) : and(mine, unread));
}
