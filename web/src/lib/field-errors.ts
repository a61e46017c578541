import { ApiError } from "../api/api-client.ts";

/**
 * The server's validation details (`[{ path: "body.weekly.0.start", message }]`) keyed by the path inside the
 * body ("weekly.0.start"), so a form can show each message next to its field. Other errors give an empty map.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  const errors: Record<string, string> = {};
  for (const detail of error.details as unknown[]) {
    if (typeof detail !== "object" || detail === null) continue;
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof path !== "string" || typeof message !== "string") continue;
    const key = path.replace(/^body\.?/, "");
    errors[key] ??= message;
  }
  return errors;
}

/** The first message for this field or anything inside it ("conditions" also finds "conditions.teamIds.0"). */
export function errorFor(errors: Record<string, string>, field: string): string | undefined {
  if (errors[field]) return errors[field];
  const nested = Object.keys(errors).find((key) => key.startsWith(`${field}.`));
  return nested ? errors[nested] : undefined;
}
