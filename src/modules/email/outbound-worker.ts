import nodemailer from "nodemailer";
import type { AppContext } from "../../context.ts";
import type { MailAddress } from "../../db/schema.ts";
import {
  claimDueOutboundMail,
  markOutboundRetry,
  markOutboundSent,
  noteUnsendableOutbound,
  type OutboxRow,
} from "./mail.repo.ts";

/** Minutes to wait after the 1st, 2nd, ... failed attempt; after the last one the message is marked failed. */
export const retryBackoffMinutes = [1, 5, 30, 120, 360];
/** How long a claimed message stays with one worker before another may take it over (the worker died). */
const leaseMs = 5 * 60_000;
const batchSize = 20;

export const missingSmtpUrlError =
  "Not sent yet: no outgoing mail server is configured. Set TEND_SMTP_URL (e.g. smtp://user:pass@smtp.example.com:587) and restart Tend.";

/**
 * When a failed attempt should be retried, or null when it should not be: after the last backoff step, or at once
 * for a permanent 5xx refusal (the server said it will never accept this mail).
 */
export function nextRetryAt(now: Date, attempts: number, responseCode: number | undefined): Date | null {
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return null;
  const minutes = retryBackoffMinutes[attempts - 1];
  return minutes === undefined ? null : new Date(now.getTime() + minutes * 60_000);
}

type SendError = Error & { responseCode?: number; response?: string };

function describeError(error: SendError): string {
  const detail = (error.response ?? error.message).replace(/\s+/g, " ").trim();
  return detail.slice(0, 1000);
}

const bracket = (id: string) => `<${id}>`;
const formatAddress = (a: MailAddress) => (a.name ? { name: a.name, address: a.address } : a.address);

/**
 * Sends queued outbound mail through TEND_SMTP_URL with the Message-ID and threading headers stored on the message,
 * so a retry is the same mail. Wakes when a reply is queued, and every `intervalMs` for retries.
 */
export function startOutboundWorker(
  ctx: AppContext,
  options: { intervalMs?: number } = {},
): { runOnce(): Promise<number>; stop(): Promise<void> } {
  const transport = ctx.config.smtpUrl ? nodemailer.createTransport(ctx.config.smtpUrl) : null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  async function send(row: OutboxRow): Promise<void> {
    if (!transport) return;
    const now = () => ctx.clock.now();
    try {
      if (!row.fromAddress || row.toAddresses.length === 0)
        throw new Error("The message has no sender or recipient");
      await transport.sendMail({
        from: formatAddress(row.fromAddress),
        to: row.toAddresses.map(formatAddress),
        cc: row.ccAddresses.map(formatAddress),
        replyTo: row.headers["Reply-To"],
        subject: row.mailSubject ?? "",
        text: row.text,
        ...(row.html ? { html: row.html } : {}),
        messageId: row.mailMessageId ? bracket(row.mailMessageId) : undefined,
        inReplyTo: row.inReplyTo ? bracket(row.inReplyTo) : undefined,
        references: row.references.length > 0 ? row.references.map(bracket) : undefined,
        date: row.createdAt,
        headers: {
          ...(row.headers["Auto-Submitted"] ? { "Auto-Submitted": row.headers["Auto-Submitted"] } : {}),
          ...(row.headers["X-Tend-Ticket"] ? { "X-Tend-Ticket": row.headers["X-Tend-Ticket"] } : {}),
        },
      });
      await markOutboundSent(ctx.db, row.id, now());
      ctx.events.publish({
        type: "message.updated",
        ticketId: row.ticketId,
        messageId: row.id,
        changes: ["delivery"],
      });
    } catch (caught) {
      const error = caught as SendError;
      const retryAt = nextRetryAt(now(), row.deliveryAttempts, error.responseCode);
      const reason = describeError(error);
      await markOutboundRetry(ctx.db, row.id, {
        deliveryStatus: retryAt ? "queued" : "failed",
        deliveryError: retryAt
          ? `Attempt ${row.deliveryAttempts} failed, retrying at ${retryAt.toISOString()}: ${reason}`
          : `Gave up after ${row.deliveryAttempts} attempt(s): ${reason}`,
        nextAttemptAt: retryAt,
      });
      ctx.events.publish({
        type: "message.updated",
        ticketId: row.ticketId,
        messageId: row.id,
        changes: ["delivery"],
      });
    }
  }

  async function drain(): Promise<number> {
    if (!transport) return noteUnsendableOutbound(ctx.db, missingSmtpUrlError).then(() => 0);
    let sent = 0;
    for (;;) {
      const now = ctx.clock.now();
      const claimed = await claimDueOutboundMail(ctx.db, now, new Date(now.getTime() + leaseMs), batchSize);
      for (const row of claimed) await send(row);
      sent += claimed.length;
      if (claimed.length < batchSize || stopped) return sent;
    }
  }

  /** One pass over due mail; concurrent calls share the pass, and a wake-up during it triggers one more. */
  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await drain();
        } while (again && !stopped);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  }

  const unsubscribe = ctx.events.subscribe((event) => {
    if (event.type === "message.created" && event.direction === "outbound" && !event.isInternal && !stopped) {
      runOnce().catch(() => undefined);
    }
  });
  const timer = setInterval(() => {
    runOnce().catch(() => undefined);
  }, options.intervalMs ?? 10_000);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running?.catch(() => undefined);
      transport?.close();
    },
  };
}
