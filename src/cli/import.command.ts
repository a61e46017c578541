import { createWriteStream, type WriteStream } from "node:fs";
import type { Config } from "../config.ts";
import type { DateFormat } from "../modules/retention/import-values.ts";
import {
  type ImportKind,
  type ImportProgress,
  type ImportSummary,
  importCsv,
} from "../modules/retention/retention-import.service.ts";
import { CliError, openCliContext } from "./cli-context.ts";

export interface ImportCommandOptions {
  map: Record<string, string>;
  currency: string;
  dateFormat: DateFormat;
  decimalComma?: boolean;
  partial?: boolean;
  errorsOut?: string;
  json?: boolean;
  progress: boolean;
}

/** A one-line progress bar on stderr: percentage of bytes read, rows and rows per second. */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDraw = 0;
  const draw = (p: ImportProgress, final = false) => {
    const now = performance.now();
    if (!final && now - lastDraw < 200) return;
    lastDraw = now;
    const share = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const filled = Math.round(share * 30);
    const rate = p.rows / Math.max(0.001, (now - started) / 1000);
    const line = `[${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.rows.toLocaleString("en")} rows  ${Math.round(rate).toLocaleString("en")} rows/s`;
    // On a terminal the bar redraws in place; in a log each update is its own line, and fewer of them.
    if (stream.isTTY) stream.write(`\r${line}${final ? "\n" : ""}`);
    else if (final || now - started > 0) stream.write(`${line}\n`);
  };
  return {
    update: (p: ImportProgress) => draw(p),
    finish: (p: ImportProgress) => draw(p, true),
    seconds: () => (performance.now() - started) / 1000,
  };
}

/** `tend import orders|customers FILE`: the summary on stdout, the progress bar and row errors on stderr. */
export async function runImportCommand(
  config: Config,
  kind: ImportKind,
  file: string,
  options: ImportCommandOptions,
): Promise<void> {
  const ctx = await openCliContext(config, { mustExist: false });
  let errorsOut: WriteStream | undefined;
  if (options.errorsOut) {
    errorsOut = createWriteStream(options.errorsOut);
    errorsOut.write("line,reason\r\n");
  }
  const bar = options.progress ? createProgressBar() : undefined;
  let last: ImportProgress = { bytesRead: 0, totalBytes: 0, rows: 0 };
  let summary: ImportSummary;
  try {
    summary = await importCsv(ctx, {
      kind,
      file,
      map: options.map,
      currency: options.currency,
      dateFormat: options.dateFormat,
      decimalComma: options.decimalComma ?? false,
      partial: options.partial ?? false,
      onProgress: (p) => {
        last = p;
        bar?.update(p);
      },
      onRowError: (e) => errorsOut?.write(`${e.line},"${e.reason.replace(/"/g, '""')}"\r\n`),
    });
    bar?.finish(last);
  } finally {
    await ctx.close();
    if (errorsOut) await new Promise<void>((resolve) => errorsOut?.end(resolve));
  }
  const seconds = bar?.seconds();
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(formatImportSummary(summary, seconds, options.errorsOut));
  if (summary.rowErrors > 0 && !summary.committed) {
    throw new CliError(
      `Nothing was imported: ${summary.rowErrors} bad row(s). Fix them, or import the good rows with --partial.`,
    );
  }
}

export function formatImportSummary(summary: ImportSummary, seconds?: number, errorsFile?: string): string {
  const lines: string[] = [];
  const what = summary.kind;
  lines.push(`${summary.file}: ${summary.rows.toLocaleString("en")} rows read`);
  if (summary.committed) {
    lines.push(
      `  imported ${summary.imported.toLocaleString("en")} ${what}${what === "tickets" ? ` and ${summary.messages.toLocaleString("en")} messages` : ""}`,
    );
    if (summary.alreadyPresent > 0) {
      const same =
        what === "orders"
          ? "same order id, or without one the same customer, date, amount and currency"
          : "same ticket id";
      lines.push(
        `  skipped ${summary.alreadyPresent.toLocaleString("en")} ${what} already imported (${same}): left as they were`,
      );
    }
    if (summary.customersCreated > 0)
      lines.push(`  created ${summary.customersCreated.toLocaleString("en")} customers`);
    if (summary.customersUpdated > 0)
      lines.push(`  updated ${summary.customersUpdated.toLocaleString("en")} customers`);
  } else {
    lines.push("  nothing imported (the import was rolled back)");
  }
  if (summary.rowErrors > 0) {
    lines.push(
      `  ${summary.rowErrors.toLocaleString("en")} bad rows${summary.committed ? " skipped (--partial)" : ""}:`,
    );
    for (const e of summary.errors.slice(0, 20)) lines.push(`    line ${e.line}: ${e.reason}`);
    if (summary.rowErrors > 20)
      lines.push(
        `    ... and ${summary.rowErrors - 20} more${errorsFile ? ` (all in ${errorsFile})` : " (--errors-out FILE lists all)"}`,
      );
  }
  if (seconds !== undefined && seconds > 0)
    lines.push(
      `  ${Math.round(summary.rows / seconds).toLocaleString("en")} rows/s over ${seconds.toFixed(1)} s`,
    );
  return `${lines.join("\n")}\n`;
}
