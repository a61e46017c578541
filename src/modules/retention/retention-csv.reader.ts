import { createReadStream } from "node:fs";
import { CsvError, type Info, parse } from "csv-parse";
import { validationFailed } from "../../errors.ts";

/** One data row of a CSV file: its line number in the file (1 is the header) and its cells by column name. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

/** A data row that could not be used, with the reason a person can act on. */
export interface RowError {
  line: number;
  reason: string;
}

export interface CsvColumnRequirement {
  /** Column name as it must appear in the header. */
  name: string;
  /** The command-line flag that maps another header name onto it, for the error message. */
  flag: string;
}

/**
 * Streams the data rows of a CSV file with a header row, one at a time, so a large export never has to be held
 * in memory. Checks the header for the required columns first (a missing one is a validation error naming the
 * flag that maps it). A row with a different number of cells than the header comes back as a RowError through
 * `onRowError`; a file that is not CSV at all (an unclosed quote) stops the read with the line number.
 */
export async function* readCsvRows(
  file: string,
  options: {
    required: readonly CsvColumnRequirement[];
    onRowError: (error: RowError) => void;
    delimiter?: string;
    /** Called with the bytes read so far, for a progress bar. */
    onBytesRead?: (bytes: number) => void;
  },
): AsyncGenerator<CsvRow> {
  const source = createReadStream(file);
  if (options.onBytesRead) {
    const report = options.onBytesRead;
    source.on("data", () => report(source.bytesRead));
  }
  const parser = source.pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      delimiter: options.delimiter ?? ",",
    }),
  );
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const { record, info } = item;
      if (header === undefined) {
        header = record;
        checkHeader(header, options.required);
        continue;
      }
      if (record.length !== header.length) {
        options.onRowError({
          line: info.lines,
          reason: `has ${record.length} cells where the header has ${header.length}`,
        });
        continue;
      }
      const cells: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) cells[header[i]] = record[i];
      yield { line: info.lines, cells };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw validationFailed(`${file}${line ? ` line ${line}` : ""}: not readable as CSV: ${error.message}`);
    }
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw validationFailed(`${file}: no such file`);
    throw error;
  } finally {
    parser.destroy();
  }
  if (header === undefined) throw validationFailed(`${file}: the file is empty; a header row is required`);
}

function checkHeader(header: readonly string[], required: readonly CsvColumnRequirement[]): void {
  const missing = required.filter((column) => !header.includes(column.name));
  if (missing.length === 0) return;
  const found = header.map((name) => JSON.stringify(name)).join(", ");
  const lines = missing.map(
    (column) => `column "${column.name}" is missing; name the column that holds it with ${column.flag} NAME`,
  );
  throw validationFailed(`${lines.join("\n")}\n(the header has: ${found})`, {
    missing: missing.map((column) => column.name),
  });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Parses yyyy-mm-dd (an ISO timestamp's date part counts) or yyyymmdd into a UTC day; undefined when invalid. */
export function parseCalendarDay(text: string): Date | undefined {
  const match = ISO_DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a plain decimal number (no thousands separators, no currency sign); undefined when invalid. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
