import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens, sessions, teamMembers, teams, users } from "../../db/schema.ts";

export type UserRow = typeof users.$inferSelect;
export type Role = UserRow["role"];
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function selectUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row;
}

export async function selectUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function updateUserStatus(
  db: Db,
  id: number,
  status: UserRow["status"],
  at: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ status, statusChangedAt: at })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function selectUsers(db: Db): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.name), asc(users.id));
}

/** Inserts a user; returns undefined when the (case-insensitive) email is taken. */
export async function insertUser(
  db: Db,
  values: { email: string; name: string; role: Role; passwordHash: string; createdAt: Date },
): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing().returning();
  return row;
}

export async function insertSession(
  db: Db,
  values: { idHash: string; userId: number; csrfToken: string; expiresAt: Date; createdAt: Date },
): Promise<void> {
  await db.insert(sessions).values(values);
}

export async function selectSessionWithUser(
  db: Db,
  idHash: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash))
    .limit(1);
  return row;
}

export async function updateSessionExpiry(db: Db, idHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(sql`${sessions.expiresAt} < ${now}`);
}

export async function insertApiToken(
  db: Db,
  values: {
    name: string;
    role: Role;
    tokenHash: string;
    prefix: string;
    createdByUserId: number | null;
    createdAt: Date;
  },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  return row;
}

export async function selectActiveApiTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row;
}

export async function updateApiTokenLastUsed(db: Db, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

export async function revokeApiTokenById(db: Db, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export async function selectApiTokens(db: Db): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).orderBy(asc(apiTokens.id));
}

export async function selectTeamsWithMembers(
  db: Db,
): Promise<{ id: number; name: string; memberIds: number[] }[]> {
  const rows = await db
    .select({
      id: teams.id,
      name: teams.name,
      memberIds: sql<
        number[]
      >`coalesce(array_agg(${teamMembers.userId} order by ${teamMembers.userId}) filter (where ${teamMembers.userId} is not null), '{}')`,
    })
    .from(teams)
    .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(teams.name));
  return rows.map((row) => ({ ...row, memberIds: row.memberIds.map(Number) }));
}

/** Leads of a team, or every lead and admin when the ticket has no team or the team has no lead. */
export async function selectLeadIds(db: Db, teamId: number | null): Promise<number[]> {
  if (teamId !== null) {
    const rows = await db
      .select({ id: users.id })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, teamId), eq(users.role, "lead"), eq(users.active, true)));
    if (rows.length > 0) return rows.map((row) => row.id);
  }
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.role, ["lead", "admin"]), eq(users.active, true)));
  return rows.map((row) => row.id);
}

export async function selectTeamByName(db: Db, name: string) {
  const [row] = await db.select().from(teams).where(sql`lower(${teams.name}) = ${name.toLowerCase()}`);
  return row;
}

export async function insertTeam(db: Db, values: typeof teams.$inferInsert) {
  const [row] = await db.insert(teams).values(values).onConflictDoNothing().returning();
  return row;
}
