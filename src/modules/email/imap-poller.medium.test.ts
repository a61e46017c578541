import { eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { type DovecotInstance, isDovecotInstalled, startDovecot } from "../../../test/imap/dovecot.ts";
import { loadMailFixture } from "../../../test/mail-fixtures.ts";
import { inboundMails, messages } from "../../db/schema.ts";
import { addImapMailbox, getImapMailbox, listImapMailboxes } from "./imap-mailboxes.service.ts";
import { startImapPoller } from "./imap-poller.ts";

// A real dovecot on loopback. In CI its absence is a failure; on a developer machine the suite skips loudly.
const installed = isDovecotInstalled();
if (!installed) {
  if (process.env.CI)
    throw new Error("dovecot (/usr/sbin/dovecot, Debian dovecot-imapd) is required in CI for the IMAP tests");
  console.warn(
    "\n!!!!!!!!\n!! /usr/sbin/dovecot is not installed: SKIPPING the IMAP intake tests. apt-get install dovecot-imapd\n!!!!!!!!\n",
  );
}
const describeImap = installed ? describeDb : describeDb.skip;

describeImap("IMAP intake against a real dovecot", () => {
  const database = useTestDatabase();
  let dovecot: DovecotInstance;
  let imap: ImapFlow;

  beforeAll(async () => {
    dovecot = await startDovecot();
    imap = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await imap.connect();
  }, 30_000);
  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await dovecot?.stop();
  });

  const ctx = () => buildTestContext(database.current, { config: { mailDomain: "tend.test" } });
  const countInbound = async () =>
    (await database.current.db.select({ id: inboundMails.id }).from(inboundMails)).length;
  const byMailId = async (id: string) =>
    (await database.current.db.select().from(messages).where(eq(messages.mailMessageId, id)))[0];

  it("fetches only new UIDs, threads them, and survives a UIDVALIDITY change without duplicates", async () => {
    const c = ctx();
    await imap.mailboxCreate("Tend");
    const mailbox = await addImapMailbox(c, {
      name: "Support",
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: dovecot.user,
      password: dovecot.password,
      mailbox: "Tend",
    });
    expect(await listImapMailboxes(c)).toEqual([expect.objectContaining({ id: mailbox.id, lastUid: 0 })]);
    expect(JSON.stringify(await listImapMailboxes(c))).not.toContain(dovecot.password);

    await imap.append("Tend", loadMailFixture("gmail-new.eml"));
    await imap.append("Tend", loadMailFixture("gmail-reply.eml"));
    const poller = startImapPoller(c);
    try {
      await poller.pollOnce();
      const first = await byMailId("CAJk3p9vQ1xZ8mRq+1042@mail.gmail.com");
      const reply = await byMailId("CAJk3p9vR7tY2nWs+1042b@mail.gmail.com");
      expect(first.ticketId).toBe(reply.ticketId);
      expect(first.text).toContain("coffee beans is cracked");
      expect(await getImapMailbox(c, mailbox.id)).toMatchObject({ lastUid: 2, lastError: null });

      await imap.append("Tend", loadMailFixture("apple-mail.eml"));
      const before = await countInbound();
      await poller.pollOnce();
      expect(await countInbound()).toBe(before + 1);
      expect((await byMailId("7A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9@icloud.com")).mailSubject).toContain(
        "Zürich",
      );
      await poller.pollOnce();
      expect(await countInbound()).toBe(before + 1);

      // Recreating the folder gives it a new UIDVALIDITY: UIDs restart at 1 and everything is fetched again.
      await imap.mailboxDelete("Tend");
      await imap.mailboxCreate("Tend");
      await imap.append("Tend", loadMailFixture("gmail-new.eml"));
      await imap.append("Tend", loadMailFixture("iso-8859-1.eml"));
      await poller.pollOnce();
      expect(await getImapMailbox(c, mailbox.id)).toMatchObject({ lastUid: 2, lastError: null });
      const again = await database.current.db
        .select()
        .from(messages)
        .where(eq(messages.mailMessageId, "CAJk3p9vQ1xZ8mRq+1042@mail.gmail.com"));
      expect(again).toHaveLength(1);
      expect((await byMailId("latin1-77@example.es")).text).toContain("el café llegó frío");
    } finally {
      await poller.stop();
    }
  });

  it("records a login failure on the mailbox instead of crashing", async () => {
    const c = ctx();
    const mailbox = await addImapMailbox(c, {
      name: "Wrong password",
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: dovecot.user,
      password: "not-the-password",
    });
    const poller = startImapPoller(c);
    try {
      await poller.pollOnce();
    } finally {
      await poller.stop();
    }
    const row = await getImapMailbox(c, mailbox.id);
    expect(row?.lastError).toMatch(/Authentication failed/);
    expect(row?.lastPolledAt?.getTime()).toBe(c.clock.now().getTime());
  });
});
