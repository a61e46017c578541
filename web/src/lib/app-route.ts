import type { TicketView } from "../api/api-types.ts";

// The app's URLs: /inbox/<view>[/tickets/<id>][?q=...]. Plain History API; the app has one screen.

export type AppRoute = { view: TicketView; ticketId: number | null; q: string };

export const ticketViews: TicketView[] = ["mine", "unassigned", "open", "pending", "solved", "all"];

export function parseRoute(pathname: string, search: string): AppRoute {
  const q = new URLSearchParams(search).get("q") ?? "";
  const match = /^\/inbox\/([a-z]+)(?:\/tickets\/(\d{1,9}))?\/?$/.exec(pathname);
  const view = match && (ticketViews as string[]).includes(match[1]) ? (match[1] as TicketView) : "mine";
  const ticketId = match?.[2] ? Number(match[2]) : null;
  return { view, ticketId, q };
}

export function routeToUrl(route: AppRoute): string {
  const path = `/inbox/${route.view}${route.ticketId ? `/tickets/${route.ticketId}` : ""}`;
  return route.q ? `${path}?${new URLSearchParams({ q: route.q })}` : path;
}
