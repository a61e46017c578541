import { validationFailed } from "../../errors.ts";
import type { RowError } from "./retention-csv.reader.ts";

/** What an analysis is doing, for a progress line (the CLI writes it to stderr; a dashboard could stream it). */
export interface AnalysisProgress {
  stage: "read" | "fit" | "predict";
  message: string;
}

const KEPT_ROW_ERRORS = 20;

/**
 * Row errors of one file: in strict mode the first one stops the analysis (a validation error with the line
 * number); otherwise the row is skipped, every error is counted and the first 20 are kept to show.
 */
export class RowErrorLog {
  count = 0;
  readonly first: RowError[] = [];

  constructor(
    private readonly strict: boolean,
    private readonly file: string,
  ) {}

  add(error: RowError): void {
    if (this.strict) {
      throw validationFailed(
        `${this.file} line ${error.line}: ${error.reason} (--strict stops at the first bad row)`,
        {
          line: error.line,
        },
      );
    }
    this.count++;
    if (this.first.length < KEPT_ROW_ERRORS) this.first.push(error);
  }
}
