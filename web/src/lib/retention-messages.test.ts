import { describe, expect, it } from "vitest";
import { ApiError } from "../api/api-client.ts";
import { describeLoadError, humanise } from "./retention-messages.ts";

describe("retention dashboard messages", () => {
  it("tells an agent who may see the figures, and a stale server to update", () => {
    expect(describeLoadError(new ApiError(403, "forbidden", "Forbidden"))).toContain(
      "Ask an admin for the lead role",
    );
    expect(
      describeLoadError(new ApiError(404, "not_found", "No route for GET /api/v1/retention/summary")),
    ).toContain("Update Tend");
  });

  it("passes on what the server said, with what to do next", () => {
    expect(describeLoadError(new ApiError(0, "network", "Cannot reach Tend; check your connection"))).toBe(
      "Cannot reach Tend; check your connection",
    );
    expect(describeLoadError(new ApiError(500, "internal", "Database unavailable"))).toBe(
      "Database unavailable. Try again; if it keeps failing, the server log says more.",
    );
    expect(describeLoadError(new Error("boom"))).toContain("Try again");
  });

  it("turns definition keys into words", () => {
    expect(humanise("repeatPurchaseRate")).toBe("Repeat purchase rate");
    expect(humanise("customer_retention_rate")).toBe("Customer retention rate");
  });
});
