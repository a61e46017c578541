import type { Config } from "../config.ts";
import { addImapMailbox, listImapMailboxes } from "../modules/email/imap-mailboxes.service.ts";
import { CliError, openCliContext } from "./cli-context.ts";
import { readPipedSecret } from "./stdin.ts";

export type AddImapMailboxOptions = {
  name: string;
  host: string;
  port?: number;
  tls: boolean;
  username: string;
  mailbox?: string;
};

/** `tend mailbox add-imap`: a mailbox the worker polls for new mail; the password comes from stdin. */
export async function runAddImapMailboxCommand(
  config: Config,
  options: AddImapMailboxOptions,
): Promise<void> {
  const password = await readPipedSecret();
  if (password === null) {
    throw new CliError(
      "Pipe the mailbox password on stdin, e.g. `printf '%s' \"$IMAP_PASSWORD\" | tend mailbox add-imap ...`.",
    );
  }
  const ctx = await openCliContext(config);
  try {
    const mailbox = await addImapMailbox(ctx, {
      name: options.name,
      host: options.host,
      port: options.port ?? (options.tls ? 993 : 143),
      secure: options.tls,
      username: options.username,
      password,
      ...(options.mailbox ? { mailbox: options.mailbox } : {}),
    });
    process.stdout.write(
      `Added IMAP mailbox "${mailbox.name}" (id ${mailbox.id}): ${mailbox.host}:${mailbox.port}/${mailbox.mailbox} as ${mailbox.username}. ` +
        `A running worker polls it every ${config.imapPollSeconds}s (TEND_IMAP_POLL_SECONDS).\n`,
    );
  } finally {
    await ctx.close();
  }
}

/** `tend mailbox list`: the IMAP mailboxes, when each was last polled and its last error. */
export async function runListMailboxesCommand(config: Config): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    const mailboxes = await listImapMailboxes(ctx);
    if (mailboxes.length === 0) {
      process.stdout.write("No IMAP mailboxes. Add one with `tend mailbox add-imap`.\n");
      return;
    }
    for (const m of mailboxes) {
      process.stdout.write(
        `${m.id}\t${m.name}\t${m.host}:${m.port}/${m.mailbox} as ${m.username}\t${m.enabled ? "enabled" : "disabled"}\t` +
          `last polled ${m.lastPolledAt ? m.lastPolledAt.toISOString() : "never"}${m.lastError ? `\tlast error: ${m.lastError}` : ""}\n`,
      );
    }
  } finally {
    await ctx.close();
  }
}
