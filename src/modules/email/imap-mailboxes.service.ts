import { asc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { imapMailboxes } from "../../db/schema.ts";
import { validationFailed } from "../../errors.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export type ImapMailboxInput = {
  name: string;
  host: string;
  port?: number;
  secure?: boolean;
  username: string;
  password: string;
  mailbox?: string;
  enabled?: boolean;
};

/** A mailbox as shown to people: never the password. */
export type ImapMailboxView = {
  id: number;
  name: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  mailbox: string;
  enabled: boolean;
  lastUid: number;
  lastPolledAt: Date | null;
  lastError: string | null;
};

function present(row: typeof imapMailboxes.$inferSelect): ImapMailboxView {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    secure: row.secure,
    username: row.username,
    mailbox: row.mailbox,
    enabled: row.enabled,
    lastUid: row.lastUid,
    lastPolledAt: row.lastPolledAt,
    lastError: row.lastError,
  };
}

/** Registers an IMAP mailbox for the poller. Port defaults to 993 with TLS, or 143 when secure is false. */
export async function addImapMailbox(ctx: Ctx, input: ImapMailboxInput): Promise<ImapMailboxView> {
  const secure = input.secure ?? true;
  const port = input.port ?? (secure ? 993 : 143);
  if (!input.host.trim()) throw validationFailed("host is required", { field: "host" });
  if (!input.username.trim()) throw validationFailed("username is required", { field: "username" });
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw validationFailed("port must be 1-65535", { field: "port" });
  }
  const [row] = await ctx.db
    .insert(imapMailboxes)
    .values({
      name: input.name.trim() || input.username,
      host: input.host.trim(),
      port,
      secure,
      username: input.username,
      password: input.password,
      mailbox: input.mailbox?.trim() || "INBOX",
      enabled: input.enabled ?? true,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return present(row);
}

export async function listImapMailboxes(ctx: Pick<ServiceContext, "db">): Promise<ImapMailboxView[]> {
  const rows = await ctx.db.select().from(imapMailboxes).orderBy(asc(imapMailboxes.id));
  return rows.map(present);
}

export async function getImapMailbox(
  ctx: Pick<ServiceContext, "db">,
  id: number,
): Promise<ImapMailboxView | null> {
  const [row] = await ctx.db.select().from(imapMailboxes).where(eq(imapMailboxes.id, id));
  return row ? present(row) : null;
}
