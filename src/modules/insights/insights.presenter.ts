import type { z } from "zod";
import type { themesResponseSchema } from "./insights.schemas.ts";
import type { ThemesReport } from "./themes.service.ts";

export function presentThemes(report: ThemesReport): z.infer<typeof themesResponseSchema> {
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    previousFrom: report.previousFrom.toISOString(),
    source: report.source,
    texts: report.texts,
    themes: report.themes.map((theme) => ({
      phrase: theme.phrase,
      count: theme.count,
      previousCount: theme.previousCount,
      trend: theme.trend,
      examples: theme.examples.map((example) => ({
        source: example.source,
        ticketId: example.ticketId,
        responseId: example.responseId,
        messageId: example.messageId,
        text: example.text,
        at: example.at.toISOString(),
      })),
    })),
  };
}
