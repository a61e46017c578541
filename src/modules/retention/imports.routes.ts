import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { AppError, validationFailed } from "../../errors.ts";
import { errorResponses } from "../../http/api-common.schemas.ts";
import { importParamsSchema, importQuerySchema, importSummarySchema } from "./retention.schemas.ts";
import { importCsv } from "./retention-import.service.ts";

/** The largest CSV body the import endpoint takes; bigger files go through `tend import`. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

/** CSV imports from the web: the same service as `tend import`, the file sent as a text/csv body. */
export async function registerImportRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.post(
    "/api/v1/imports/:kind",
    {
      config: { access: "admin" },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ["imports"],
        summary:
          "Import orders, customers or tickets (with their messages) from a CSV body (Content-Type text/csv, up to 10 MB); any bad row imports nothing unless partial=true",
        params: importParamsSchema,
        querystring: importQuerySchema,
        response: { 200: importSummarySchema, ...errorResponses },
      },
    },
    async (request) => {
      if (typeof request.body !== "string") {
        throw new AppError(
          "unsupported_media_type",
          "Send the CSV file as the body with Content-Type text/csv",
        );
      }
      const map: Record<string, string> = {};
      for (const pair of request.query.map?.split(",") ?? []) {
        const at = pair.indexOf("=");
        map[pair.slice(0, at)] = pair.slice(at + 1);
      }
      // The reader streams from a file, as for the CLI; the body is already bounded by the limit above.
      const file = path.join(tmpdir(), `tend-import-${randomBytes(8).toString("hex")}.csv`);
      await writeFile(file, request.body, { mode: 0o600 });
      try {
        const summary = await importCsv(ctx, {
          kind: request.params.kind,
          file,
          map,
          currency: request.query.currency,
          dateFormat: request.query.dateFormat,
          decimalComma: request.query.decimalComma,
          partial: request.query.partial,
        });
        const { file: _file, ...presented } = summary;
        if (!summary.committed) {
          throw validationFailed(
            `Nothing was imported: ${summary.rowErrors} bad row(s); fix them or send partial=true`,
            presented,
          );
        }
        return presented;
      } finally {
        await rm(file, { force: true });
      }
    },
  );
}
