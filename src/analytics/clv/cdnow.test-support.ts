// The CDNOW calibration summary shared by the CLV model tests. Tests only.
import { readCdnowTransactions } from "../analytics-fixtures.test-support.ts";
import { type CustomerSummary, summarizeTransactions } from "./customer-summary.ts";

export const cdnowCalibrationEnd = new Date(Date.UTC(1997, 8, 30));

/** CDNOW customers summarised in weeks for the calibration period ending 1997-09-30 (2,357 customers). */
export function cdnowCalibrationSummary(): CustomerSummary[] {
  return summarizeTransactions(readCdnowTransactions(), {
    timeUnit: "week",
    calibrationEnd: cdnowCalibrationEnd,
  });
}
