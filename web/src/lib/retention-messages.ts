import { ApiError } from "../api/api-client.ts";

// What the retention dashboard says when something is missing or fails: always what to do next.

/** Words for a failed load: what happened and what to do next. */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong while loading. Try again.";
  if (error.status === 0) return error.message;
  if (error.status === 403)
    return "Only leads and admins can see retention figures. Ask an admin for the lead role.";
  if (error.status === 404 && (error.code === "http_error" || error.message.startsWith("No route")))
    return "This Tend server does not offer this report yet. Update Tend, then reload the page.";
  return `${error.message}. Try again; if it keeps failing, the server log says more.`;
}

/** The commands the empty states point to, in one place. */
export const nextSteps = {
  noOrders:
    "No orders yet — import them with `tend import orders FILE.csv`, or try the demo with `tend demo`.",
  noScores:
    "No risk scores yet — the worker scores customers every night from their orders and tickets. To score now, run `tend analyze risk --store`.",
};

/** "repeatPurchaseRate" / "repeat_purchase_rate" → "Repeat purchase rate". */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
