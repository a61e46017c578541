import nodemailer from "nodemailer";
import type { AppContext } from "../../context.ts";
import { withTransaction } from "../../db/transaction.ts";
import { type JobInfo, UnrecoverableJobError } from "../../jobs/job-definition.ts";
import { resolveSupportSender } from "../email/outbound-mail.service.ts";
import { missingSmtpUrlError } from "../email/outbound-worker.ts";
import { buildSurveyMail, defaultSurveySubject } from "./survey-mail.ts";
import { claimSendForDelivery, type SurveySendRow, updateSendRow } from "./surveys.repo.ts";
import {
  getSurveyConfig,
  isOptedOut,
  lockSurveySend,
  recordSendTimeline,
  surveyLink,
} from "./surveys.service.ts";

const dayMs = 86_400_000;

type SendError = Error & { responseCode?: number; response?: string };

function describeError(error: SendError): string {
  return (error.response ?? error.message).replace(/\s+/g, " ").trim().slice(0, 1000);
}

/** Claims a queued send for this attempt; null when there is nothing to send (done, skipped, or opted out since). */
async function claim(ctx: AppContext, sendId: number): Promise<SurveySendRow | null> {
  return withTransaction(ctx, async (tx) => {
    const send = await lockSurveySend(tx, sendId);
    if (send.status !== "queued" && send.status !== "sending") return null;
    if (await isOptedOut(tx, send.customerId, send.purpose)) {
      await updateSendRow(tx.db, send.id, { status: "skipped", skipReason: "opted_out" });
      return null;
    }
    return claimSendForDelivery(tx.db, send.id);
  });
}

/**
 * Sends a queued survey mail through TEND_SMTP_URL. Idempotent: a send that is no longer queued is left alone, and
 * a repeated attempt (after a failure or a dead worker) sends the same Message-ID. The mail asks auto-responders
 * to stay quiet (Auto-Submitted) and carries a one-click unsubscribe (RFC 8058).
 */
export async function deliverSurveySend(ctx: AppContext, sendId: number, job: JobInfo): Promise<void> {
  const send = await claim(ctx, sendId);
  if (!send) return;
  const { settings, secret } = await getSurveyConfig(ctx);
  const fail = async (message: string, permanent: boolean) => {
    const final = permanent || job.attempts >= job.maxAttempts;
    await updateSendRow(ctx.db, send.id, { status: final ? "failed" : "queued", lastError: message });
    return final;
  };
  if (!ctx.config.smtpUrl || !send.recipientEmail || !send.mailMessageId) {
    const message = !ctx.config.smtpUrl ? missingSmtpUrlError : "The send has no recipient or Message-ID";
    await fail(message, Boolean(ctx.config.smtpUrl));
    throw new Error(message);
  }
  const sender = await resolveSupportSender(ctx);
  // Before a workspace is set up the sender has no name; the mail domain still says who writes.
  const businessName = sender.name ?? ctx.config.mailDomain;
  const responseUrl = surveyLink(ctx.config, secret, "respond", send.id);
  const unsubscribeUrl = surveyLink(ctx.config, secret, "unsubscribe", send.id);
  const content = buildSurveyMail({
    kind: send.kind,
    questions: send.questions,
    businessName,
    recipientName: send.recipientName,
    about: send.mailAbout,
    responseUrl,
    unsubscribeUrl,
    purposeLabel: send.purpose === "follow_ups" ? "follow-up emails" : "surveys",
    windowDays: settings.responseWindowDays,
  });
  const transport = nodemailer.createTransport(ctx.config.smtpUrl);
  try {
    await transport.sendMail({
      from: sender.name ? { name: sender.name, address: sender.address } : sender.address,
      to: send.recipientName
        ? { name: send.recipientName, address: send.recipientEmail }
        : send.recipientEmail,
      replyTo: send.replyTo ?? sender.address,
      subject: send.mailSubject ?? defaultSurveySubject(send.kind, businessName),
      text: content.text,
      html: content.html,
      messageId: `<${send.mailMessageId}>`,
      date: send.createdAt,
      headers: {
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "List-Unsubscribe": `<${unsubscribeUrl}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Tend-Survey": String(send.id),
      },
    });
  } catch (caught) {
    const error = caught as SendError;
    const permanent =
      error.responseCode !== undefined && error.responseCode >= 500 && error.responseCode < 600;
    const message = `Attempt ${send.attempts}: ${describeError(error)}`;
    await fail(message, permanent);
    if (permanent) throw new UnrecoverableJobError(`The mail server refused the survey mail: ${message}`);
    throw error;
  } finally {
    transport.close();
  }
  const now = ctx.clock.now();
  await withTransaction(ctx, async (tx) => {
    const sent = await updateSendRow(tx.db, send.id, {
      status: "sent",
      sentAt: now,
      expiresAt: new Date(now.getTime() + settings.responseWindowDays * dayMs),
      lastError: null,
    });
    await recordSendTimeline(tx, sent);
  });
}
