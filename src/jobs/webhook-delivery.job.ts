import { createHmac } from "node:crypto";
import { z } from "zod";
import { defineJob, UnrecoverableJobError } from "./job-definition.ts";

const timeoutMs = 10_000;

/** The signature a webhook receiver checks: `sha256=` and the hex HMAC-SHA256 of the raw body with the secret. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Delivers a rule's webhook: POSTs the JSON body, signed when the rule has a secret, with a delivery id the
 * receiver can use to ignore repeats (a retry after a timeout may deliver twice). 2xx is done; 408, 429 and 5xx
 * are retried with backoff; other 4xx mean the receiver refuses it and are not retried.
 */
export const webhookDeliveryJob = defineJob({
  name: "webhook.deliver",
  payload: z.object({
    url: z.string().url(),
    secret: z.string().nullable().default(null),
    deliveryId: z.string(),
    body: z.record(z.string(), z.unknown()),
  }),
  transactional: false,
  retry: { maxAttempts: 8, initialDelaySeconds: 30, factor: 3, maxDelaySeconds: 6 * 3600 },
  async handler(_ctx, payload) {
    const body = JSON.stringify(payload.body);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "Tend-Webhook/1",
      "x-tend-delivery": payload.deliveryId,
    };
    if (payload.secret) headers["x-tend-signature"] = signWebhookBody(payload.secret, body);
    const response = await fetch(payload.url, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    if (response.ok) return;
    const status = response.status;
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      throw new UnrecoverableJobError(`The webhook at ${payload.url} refused the delivery: HTTP ${status}`);
    }
    throw new Error(`The webhook at ${payload.url} answered HTTP ${status}; will retry`);
  },
});
