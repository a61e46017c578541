import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

/** Where `scripts/ensure-web-build.mjs` (vite, widget/vite.config.ts) writes the widget. */
export const defaultWidgetScriptFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../widget/dist/widget.js",
);

/**
 * The embed URL never changes, so the script is cached briefly (5 minutes, then revalidated with its ETag, with a
 * day of stale-while-revalidate) rather than for a year: a new widget reaches every site within minutes.
 */
export const widgetCacheControl = "public, max-age=300, stale-while-revalidate=86400";

type Loaded = { mtimeMs: number; body: Buffer; etag: string };

/** GET /widget.js: the built widget, loadable from any site (CORS and CORP allow cross-origin use). */
export async function registerChatWidgetScript(app: FastifyInstance, options: { file?: string } = {}) {
  const file = options.file ?? defaultWidgetScriptFile;
  let cached: Loaded | null = null;

  async function load(): Promise<Loaded | null> {
    try {
      const stat = await fs.stat(file);
      if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
      const body = await fs.readFile(file);
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      cached = { mtimeMs: stat.mtimeMs, body, etag };
      return cached;
    } catch {
      return null;
    }
  }

  app.get("/widget.js", { schema: { hide: true } }, async (request, reply) => {
    reply
      .header("content-type", "text/javascript; charset=utf-8")
      .header("access-control-allow-origin", "*")
      .header("cross-origin-resource-policy", "cross-origin")
      .header("x-content-type-options", "nosniff");
    const script = await load();
    if (!script) {
      return reply
        .status(503)
        .header("cache-control", "no-store")
        .send(
          'console.warn("Tend: the chat widget is not built yet (npm start or node scripts/ensure-web-build.mjs).");\n',
        );
    }
    reply.header("cache-control", widgetCacheControl).header("etag", script.etag);
    if (request.headers["if-none-match"] === script.etag) return reply.status(304).send();
    return reply.send(script.body);
  });
}
