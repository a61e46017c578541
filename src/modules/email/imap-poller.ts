import { asc, eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import type { AppContext } from "../../context.ts";
import { imapMailboxes } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { processInboundMail, storeRawMail } from "./inbound-mail.service.ts";

type MailboxRow = typeof imapMailboxes.$inferSelect;

/** Most messages taken from one mailbox in one poll, so one huge backlog does not starve the other mailboxes. */
const maxPerPoll = 500;

/**
 * Polls every enabled row of imap_mailboxes: fetches UIDs above lastUid, stores each raw mail and advances lastUid in
 * one transaction (so a UID is never skipped nor, thanks to Message-ID dedupe, stored twice), then threads it. A
 * changed UIDVALIDITY means the server renumbered the mailbox: start again from UID 0 and let dedupe drop repeats.
 */
export function startImapPoller(ctx: AppContext): { pollOnce(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;

  async function pollMailbox(row: MailboxRow): Promise<void> {
    const client = new ImapFlow({
      host: row.host,
      port: row.port,
      secure: row.secure,
      auth: { user: row.username, pass: row.password },
      logger: false,
      // Plain IMAP (secure=false) still upgrades with STARTTLS when the server offers it.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
    });
    client.on("error", () => {
      // Socket errors surface as a rejected command below and are recorded in lastError.
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock(row.mailbox);
      try {
        const opened = client.mailbox;
        if (!opened) throw new Error(`Mailbox ${row.mailbox} could not be opened`);
        const uidValidity = String(opened.uidValidity);
        let lastUid = row.lastUid;
        if (row.uidValidity !== uidValidity) {
          lastUid = row.uidValidity === null ? row.lastUid : 0;
          await ctx.db
            .update(imapMailboxes)
            .set({ uidValidity, lastUid })
            .where(eq(imapMailboxes.id, row.id));
        }
        const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
        // "n:*" always includes the highest UID, even when it is below n; keep only new ones.
        const uids = (found || [])
          .filter((uid) => uid > lastUid)
          .sort((a, b) => a - b)
          .slice(0, maxPerPoll);
        for (const uid of uids) {
          if (stopped) break;
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          // false or no source: the message vanished (expunged) between SEARCH and FETCH.
          const raw = message === false ? undefined : message.source;
          if (!raw) continue;
          const inboundMailId = await withTransaction(ctx, async (tx) => {
            const id = await storeRawMail(tx, raw, { to: [], source: "imap" });
            await tx.db.update(imapMailboxes).set({ lastUid: uid }).where(eq(imapMailboxes.id, row.id));
            return id;
          });
          await processInboundMail(ctx, inboundMailId, { raw, envelopeFrom: undefined, envelopeTo: [] });
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async function pollAll(): Promise<void> {
    const rows = await ctx.db
      .select()
      .from(imapMailboxes)
      .where(eq(imapMailboxes.enabled, true))
      .orderBy(asc(imapMailboxes.id));
    for (const row of rows) {
      if (stopped) return;
      let lastError: string | null = null;
      try {
        await pollMailbox(row);
      } catch (error) {
        const err = error as Error & { responseText?: string; authenticationFailed?: boolean };
        lastError =
          (err.authenticationFailed ? "Authentication failed: " : "") + (err.responseText ?? err.message);
      }
      await ctx.db
        .update(imapMailboxes)
        .set({ lastPolledAt: ctx.clock.now(), lastError })
        .where(eq(imapMailboxes.id, row.id));
    }
  }

  function pollOnce(): Promise<void> {
    running ??= pollAll().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => {
    pollOnce().catch(() => undefined);
  }, ctx.config.imapPollSeconds * 1000);
  timer.unref();

  return {
    pollOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
