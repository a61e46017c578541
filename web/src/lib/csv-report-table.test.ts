import { describe, expect, it } from "vitest";
import { toCsv } from "./csv-export.ts";

describe("CSV of a report table", () => {
  it("quotes what needs quoting and leaves empty cells for missing numbers", () => {
    expect(
      toCsv(
        ["Group", "Met"],
        [
          ["Support, EU", 0.9],
          ['Say "hi"', null],
          ["=SUM(A1)", 1],
        ],
      ),
    ).toBe('Group,Met\r\n"Support, EU",0.9\r\n"Say ""hi""",\r\n\'=SUM(A1),1\r\n');
  });
});
