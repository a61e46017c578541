import type { AppContext } from "../../context.ts";
import {
  type BatchedMail,
  type IngestEnvelope,
  type IngestResult,
  ingestRawMailBatch,
  parseRawMail,
} from "./inbound-mail.service.ts";

export type MailIntakeQueue = {
  /** Resolves once the mail's raw bytes are committed (threaded in the same commit when all goes well). */
  ingest(raw: Buffer, envelope: IngestEnvelope): Promise<IngestResult>;
};

export type MailIntakeQueueOptions = {
  /** Most mails committed together. */
  maxBatch?: number;
  /** How long an idle queue waits for company before committing a lone mail. */
  maxWaitMs?: number;
  /** Batches in flight at once; PGlite serialises transactions, so more than one only helps PostgreSQL. */
  concurrency?: number;
};

type Waiting = { mail: BatchedMail; resolve(result: IngestResult): void; reject(error: unknown): void };

/**
 * Group commit for mail arriving over concurrent connections: mails that arrive while a batch is being committed
 * are committed together in the next one (see ingestRawMailBatch), so a burst costs one commit, not one per mail.
 * Each caller still hears back only after its own mail is committed.
 */
export function createMailIntakeQueue(
  ctx: AppContext,
  options: MailIntakeQueueOptions = {},
): MailIntakeQueue {
  const maxBatch = options.maxBatch ?? 32;
  const maxWaitMs = options.maxWaitMs ?? 2;
  const concurrency = options.concurrency ?? 1;
  const waiting: Waiting[] = [];
  let running = 0;
  let timer: NodeJS.Timeout | null = null;

  function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (waiting.length > 0 && running < concurrency) {
      const batch = waiting.splice(0, maxBatch);
      running++;
      ingestRawMailBatch(
        ctx,
        batch.map((entry) => entry.mail),
      )
        .then(
          (results) => {
            for (const [index, entry] of batch.entries()) entry.resolve(results[index]);
          },
          (error: unknown) => {
            for (const entry of batch) entry.reject(error);
          },
        )
        .finally(() => {
          running--;
          // Whoever queued meanwhile has waited long enough.
          if (waiting.length > 0) flush();
        });
    }
  }

  function schedule() {
    if (running >= concurrency) return;
    if (waiting.length >= maxBatch || maxWaitMs <= 0) flush();
    else timer ??= setTimeout(flush, maxWaitMs);
  }

  return {
    async ingest(raw, envelope) {
      const parsed = await parseRawMail(ctx, raw);
      return new Promise<IngestResult>((resolve, reject) => {
        waiting.push({ mail: { raw, envelope, parsed }, resolve, reject });
        schedule();
      });
    },
  };
}
