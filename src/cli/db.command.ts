import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import { dumpDatabase, type SqlWriter } from "../db/dump.ts";
import { backfillFrustration } from "../modules/tickets/frustration-backfill.service.ts";
import { CliError, describeDatabase, openCliContext } from "./cli-context.ts";

/** `tend db migrate`: creates the embedded database if needed and applies pending migrations. */
export async function runMigrateCommand(config: Config): Promise<void> {
  const ctx = await openCliContext(config, { migrate: true });
  await ctx.close();
  process.stdout.write(`The schema of the ${describeDatabase(config)} is up to date.\n`);
}

function streamWriter(stream: NodeJS.WritableStream): SqlWriter {
  let failure: Error | null = null;
  stream.once("error", (error: Error) => {
    failure = error;
  });
  return async (chunk) => {
    if (failure) throw failure;
    if (!stream.write(chunk)) {
      // Back-pressure: wait until the reader (psql, a file, a pipe) has taken what we wrote.
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          stream.off("error", onError);
          resolve();
        };
        const onError = (error: Error) => {
          stream.off("drain", onDrain);
          reject(error);
        };
        stream.once("drain", onDrain);
        stream.once("error", onError);
      });
    }
  };
}

/** `tend db dump [--out FILE]`: the database as one SQL script for psql (see src/db/dump.ts). */
export async function runDumpCommand(config: Config, options: { out?: string }): Promise<void> {
  const ctx = await openCliContext(config, { migrate: false, mustExist: true });
  try {
    if (!options.out) {
      const stats = await dumpDatabase(ctx.database, streamWriter(process.stdout));
      process.stderr.write(`Dumped ${stats.rows} rows from ${stats.tables} tables.\n`);
      return;
    }
    // Write beside the target and rename at the end, so a failed dump never leaves a half file under its name.
    const target = path.resolve(options.out);
    const partial = `${target}.partial`;
    const file = fs.createWriteStream(partial, { mode: 0o600 });
    try {
      const stats = await dumpDatabase(ctx.database, streamWriter(file));
      await new Promise<void>((resolve, reject) => {
        file.once("error", reject);
        file.end(() => resolve());
      });
      fs.renameSync(partial, target);
      process.stderr.write(`Dumped ${stats.rows} rows from ${stats.tables} tables to ${target}.\n`);
    } catch (error) {
      file.destroy();
      fs.rmSync(partial, { force: true });
      throw error;
    }
  } finally {
    await ctx.close();
  }
}

/**
 * `tend db backfill-frustration`: scores customers' messages that have no frustration score yet, batch by batch
 * (each its own transaction, so an interrupted run keeps what it did and a second run carries on).
 */
export async function runBackfillFrustrationCommand(
  config: Config,
  options: { batchSize: number },
): Promise<void> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 5000) {
    throw new CliError("--batch-size must be a whole number from 1 to 5000");
  }
  const ctx = await openCliContext(config, { migrate: true });
  try {
    const total = await backfillFrustration(ctx, {
      batchSize: options.batchSize,
      onBatch: (batch) =>
        process.stderr.write(`Scored ${batch.messages} messages of ${batch.customers} customers.\n`),
    });
    process.stdout.write(
      total.batches === 0
        ? "Every customer message already has a frustration score.\n"
        : `Scored ${total.messages} messages; ${total.tickets} tickets have their frustration level.\n`,
    );
  } finally {
    await ctx.close();
  }
}
