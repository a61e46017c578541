import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { AppContext } from "../../context.ts";
import { reprocessStoredMails } from "./inbound-mail.service.ts";
import { createMailIntakeQueue } from "./inbound-mail-queue.ts";
import { findWorkspaceMailIdentity } from "./mail.repo.ts";

export type SmtpServerHandle = { port: number; close(): Promise<void> };

/** How often mail left "stored" by a crash is picked up again, and how old it must be so in-flight mail is left alone. */
const reprocessEveryMs = 60_000;

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Tend's inbound SMTP listener. It accepts mail only for the mail domain and the workspace support address (never an
 * open relay), advertises SIZE, and answers 250 only after the raw message is committed to inbound_mails (threaded in
 * the same commit, shared with mail arriving at the same time, unless threading fails). No AUTH or STARTTLS: it is
 * meant for loopback or behind a relaying MTA.
 */
export async function startSmtpServer(
  ctx: AppContext,
  options: { host: string; port: number },
): Promise<SmtpServerHandle> {
  const maxBytes = ctx.config.maxMessageBytes;
  const domain = ctx.config.mailDomain.toLowerCase();
  // Mail arriving together over several connections is committed together (group commit). PGlite runs one
  // transaction at a time, so one big batch; PostgreSQL does better with a few small transactions side by side.
  const intake = createMailIntakeQueue(
    ctx,
    ctx.database.kind === "pglite" ? { concurrency: 1 } : { maxBatch: 2, concurrency: 4 },
  );

  async function isOurAddress(address: string): Promise<boolean> {
    const lower = address.trim().toLowerCase();
    if (lower.slice(lower.lastIndexOf("@") + 1) === domain) return true;
    const workspaceRow = await findWorkspaceMailIdentity(ctx.db);
    return workspaceRow !== null && workspaceRow.supportAddress.trim().toLowerCase() === lower;
  }

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep reading to the end so the client gets our answer, but stop holding bytes past the limit.
      if (size <= maxBytes) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > maxBytes) {
      throw smtpError(
        552,
        `5.3.4 Message too big: Tend accepts at most ${maxBytes} bytes (TEND_MAX_MESSAGE_BYTES)`,
      );
    }
    const raw = Buffer.concat(chunks, size);
    const mailFrom = session.envelope.mailFrom;
    const envelope = {
      from: mailFrom ? mailFrom.address : "",
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      source: "smtp" as const,
    };
    let inboundMailId: number;
    try {
      // Returns only once the raw mail is committed (threaded in the same commit when all goes well).
      ({ inboundMailId } = await intake.ingest(raw, envelope));
    } catch {
      throw smtpError(451, "4.3.0 Temporary failure storing the message; please retry");
    }
    return `2.0.0 Ok: queued as ${inboundMailId}`;
  }

  const server = new SMTPServer({
    name: domain,
    banner: "Tend mail intake",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: maxBytes,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      isOurAddress(address.address).then(
        (ok) =>
          callback(
            ok
              ? undefined
              : smtpError(550, `5.7.1 Relaying denied: Tend accepts mail only for addresses @${domain}`),
          ),
        () => callback(smtpError(451, "4.3.0 Temporary failure checking the recipient; please retry")),
      );
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (message) => callback(null, message),
        (error: Error) => callback(error),
      );
    },
  });
  server.on("error", () => {
    // Per-connection errors (client resets, timeouts) are normal on a public port; the listener keeps serving.
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  // Anything acknowledged but never threaded (a crash between the two transactions) is processed now and then.
  let reprocessing: Promise<unknown> = reprocessStoredMails(ctx).catch(() => 0);
  const timer = setInterval(() => {
    reprocessing = reprocessing
      .then(() => reprocessStoredMails(ctx, { olderThanMs: reprocessEveryMs }))
      .catch(() => 0);
  }, reprocessEveryMs);
  timer.unref();

  return {
    port,
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reprocessing;
    },
  };
}
