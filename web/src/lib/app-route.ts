import type { TicketView } from "../api/api-types.ts";

// The app's URLs: /inbox/<view>[/tickets/<id>][?q=...&status=...]. Plain History API; the app has one screen.

/** Filters of the ticket list, as the API takes them (comma-separated lists, YYYY-MM-DD dates). */
export type ListFilters = {
  status?: string;
  assignee?: string;
  channel?: string;
  tag?: string;
  createdFrom?: string;
  createdTo?: string;
};

export const listFilterKeys = ["status", "assignee", "channel", "tag", "createdFrom", "createdTo"] as const;

export type AppRoute = { view: TicketView; ticketId: number | null; q: string; filters?: ListFilters };

export const ticketViews: TicketView[] = [
  "mine",
  "unassigned",
  "open",
  "breaching",
  "recover",
  "value_at_risk",
  "frustrated",
  "pending",
  "solved",
  "all",
];

export function parseRoute(pathname: string, search: string): AppRoute {
  const params = new URLSearchParams(search);
  const q = params.get("q") ?? "";
  const match = /^\/inbox\/([a-z]+)(?:\/tickets\/(\d{1,9}))?\/?$/.exec(pathname);
  const view = match && (ticketViews as string[]).includes(match[1]) ? (match[1] as TicketView) : "mine";
  const ticketId = match?.[2] ? Number(match[2]) : null;
  const filters: ListFilters = {};
  for (const key of listFilterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return Object.keys(filters).length > 0 ? { view, ticketId, q, filters } : { view, ticketId, q };
}

export function routeToUrl(route: AppRoute): string {
  const path = `/inbox/${route.view}${route.ticketId ? `/tickets/${route.ticketId}` : ""}`;
  const params = new URLSearchParams();
  if (route.q) params.set("q", route.q);
  for (const key of listFilterKeys) {
    const value = route.filters?.[key];
    if (value) params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The retention dashboard (leads and admins) lives at /retention. */
export const retentionPath = "/retention";

export function isRetentionPath(pathname: string): boolean {
  return pathname === retentionPath || pathname.startsWith(`${retentionPath}/`);
}
