import { describe, expect, it } from "vitest";
import { findAdminPage, visibleAdminPages } from "./admin-pages.ts";

describe("lead and admin pages", () => {
  it("finds a page by its path, with or without a trailing slash", () => {
    expect(findAdminPage("/reports/sla")?.id).toBe("reports-sla");
    expect(findAdminPage("/settings/chat/")?.id).toBe("settings-chat");
    expect(findAdminPage("/reports/themes")?.id).toBe("reports-themes");
    expect(findAdminPage("/inbox/mine")).toBeNull();
  });

  it("shows agents only the settings they may read, leads and admins everything", () => {
    expect(visibleAdminPages("agent").map((page) => page.id)).toEqual([
      "settings-sla",
      "settings-macros",
      "settings-chat",
    ]);
    expect(visibleAdminPages("lead")).toHaveLength(9);
    expect(visibleAdminPages("admin")).toHaveLength(9);
    expect(
      visibleAdminPages("lead")
        .filter((page) => page.section === "Reports")
        .map((page) => page.title),
    ).toEqual(["SLA", "Surveys", "What customers say"]);
  });
});
