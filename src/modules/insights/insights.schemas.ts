import { z } from "zod";

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
/** A date (YYYY-MM-DD, a whole UTC day) or an ISO date-time with an offset. */
const dateParamSchema = z
  .string()
  .max(40)
  .refine((value) => dateOnly.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, {
    message: "must be a date (YYYY-MM-DD) or an ISO date-time",
  })
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(value)) &&
      (!dateOnly.test(value) || new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)),
    { message: "not a real date" },
  );

export const themeSourceSchema = z.enum(["comments", "messages", "all"]);

export const themesQuerySchema = z
  .object({
    from: dateParamSchema.optional().describe("Start of the period (default: 30 days before `to`)"),
    to: dateParamSchema
      .optional()
      .describe("End of the period; a date includes that whole day (default: now)"),
    source: themeSourceSchema.default("all").describe("Survey comments, customers' messages, or both"),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    examples: z.coerce.number().int().min(1).max(10).default(3).describe("Verbatims per theme, newest first"),
  })
  .superRefine((query, issue) => {
    if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to) && query.from !== query.to) {
      issue.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    }
  });

export const themeSchema = z.object({
  phrase: z.string(),
  count: z.number().describe("Texts in the period that mention it (each text once)"),
  previousCount: z.number().describe("The same count in the period of equal length just before"),
  trend: z.enum(["new", "rising", "steady", "falling"]),
  examples: z.array(
    z.object({
      source: z.enum(["comment", "message"]),
      ticketId: z.number().nullable(),
      responseId: z.number().nullable(),
      messageId: z.number().nullable(),
      text: z.string().describe("The sentence that mentions it"),
      at: z.string(),
    }),
  ),
});

export const themesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  source: themeSourceSchema,
  texts: z.object({ current: z.number(), previous: z.number() }),
  themes: z.array(themeSchema),
});
