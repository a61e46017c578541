import type { Role } from "../api/api-types.ts";

// The lead and admin screens: one URL each, grouped under Team, Reports and Settings. `minRole` mirrors the
// role the API asks for to read the page's data (changing it may need more; each page says so).

export type AdminPageId =
  | "team"
  | "reports-sla"
  | "reports-surveys"
  | "reports-themes"
  | "settings-sla"
  | "settings-macros"
  | "settings-rules"
  | "settings-chat"
  | "settings-surveys";

export type AdminPage = { id: AdminPageId; path: string; title: string; section: string; minRole: Role };

export const adminPages: AdminPage[] = [
  { id: "team", path: "/team", title: "Team", section: "Team", minRole: "lead" },
  { id: "reports-sla", path: "/reports/sla", title: "SLA", section: "Reports", minRole: "lead" },
  { id: "reports-surveys", path: "/reports/surveys", title: "Surveys", section: "Reports", minRole: "lead" },
  {
    id: "reports-themes",
    path: "/reports/themes",
    title: "What customers say",
    section: "Reports",
    minRole: "lead",
  },
  { id: "settings-sla", path: "/settings/sla", title: "SLA", section: "Settings", minRole: "agent" },
  { id: "settings-macros", path: "/settings/macros", title: "Macros", section: "Settings", minRole: "agent" },
  { id: "settings-rules", path: "/settings/rules", title: "Rules", section: "Settings", minRole: "lead" },
  {
    id: "settings-chat",
    path: "/settings/chat",
    title: "Chat widget",
    section: "Settings",
    minRole: "agent",
  },
  {
    id: "settings-surveys",
    path: "/settings/surveys",
    title: "Surveys",
    section: "Settings",
    minRole: "lead",
  },
];

const rank: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

/** Whether a user of `role` has at least `required` (admins can do what leads can). */
export function hasRole(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}

/** The page at this path (trailing slash allowed), or null when it is not a lead/admin screen. */
export function findAdminPage(pathname: string): AdminPage | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return adminPages.find((page) => page.path === path) ?? null;
}

/** The pages this role may open, in navigation order. */
export function visibleAdminPages(role: Role): AdminPage[] {
  return adminPages.filter((page) => hasRole(role, page.minRole));
}
