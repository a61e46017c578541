import { z } from "zod";

// Shapes shared by many /api/v1 routes: the error body, ids in paths, page sizes and opaque cursors.

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Error responses every authenticated route can give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

/** An id in a path or query string (text, so coerced). */
export const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
/** An id in a JSON body: a number, never a string or boolean coerced into one. */
export const bodyIdSchema = z.number().int().positive().max(2_147_483_647);
export const idParams = z.object({ id: idSchema });

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

export const roleSchema = z.enum(["agent", "lead", "admin"]);
export const publicUserSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});

/** A keyset position: microseconds since the epoch (as digits, exact) and the row id. */
export type Keyset = { atMicros: string; id: number };

/**
 * Opaque cursor for keyset pagination on (timestamp desc, id desc): base64url JSON, so clients do not parse it.
 * Microseconds, not a JS Date, because the database keeps microseconds and a rounded cursor would skip rows.
 */
export function encodeCursor(atMicros: string, id: number): string {
  return Buffer.from(JSON.stringify([atMicros, id])).toString("base64url");
}

export function decodeCursor(cursor: string): Keyset | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [atMicros, id] = value;
    if (typeof atMicros !== "string" || !/^-?\d{1,17}$/.test(atMicros)) return null;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return null;
    return { atMicros, id };
  } catch {
    return null;
  }
}

/** A query-string cursor that arrives decoded; a malformed one is a 400 at `querystring.cursor`. */
export const cursorSchema = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const decoded = decodeCursor(value);
    if (!decoded) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor; pass nextCursor from the previous page" });
      return z.NEVER;
    }
    return decoded;
  });
