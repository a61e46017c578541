import { describe, expect, it } from "vitest";
import { ApiError } from "../api/api-client.ts";
import { errorFor, fieldErrorsOf } from "./field-errors.ts";

describe("field errors from the API", () => {
  it("keys validation details by their path inside the body", () => {
    const error = new ApiError(400, "validation_failed", "Invalid request", [
      { path: "body.firstResponseMinutes", message: "Too small: expected number to be >=1" },
      { path: "body.weekly.0.start", message: "HH:MM, 00:00 to 24:00" },
      { path: "body", message: "give status or capacity" },
    ]);
    const errors = fieldErrorsOf(error);
    expect(errors.firstResponseMinutes).toBe("Too small: expected number to be >=1");
    expect(errorFor(errors, "weekly")).toBe("HH:MM, 00:00 to 24:00");
    expect(errors[""]).toBe("give status or capacity");
  });

  it("gives nothing for errors without details", () => {
    expect(fieldErrorsOf(new ApiError(403, "forbidden", "Admins only"))).toEqual({});
    expect(fieldErrorsOf(new Error("boom"))).toEqual({});
  });
});
