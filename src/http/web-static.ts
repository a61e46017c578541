import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Where `npm run build:web` (vite) writes the agent's web app. */
export const defaultWebDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/**
 * The policy for the app's HTML. Scripts only from Tend itself; inline styles are allowed because mail HTML is
 * shown in srcdoc iframes, which inherit this policy, and mail layout is all inline style. Nothing may frame Tend.
 */
export const webContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export type WebStaticOptions = {
  /** The built app; defaults to web/dist in this checkout. */
  root?: string;
};

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function setHtmlHeaders(reply: FastifyReply) {
  reply
    .header("content-security-policy", webContentSecurityPolicy)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "same-origin")
    // index.html names the current hashed bundles, so it must be revalidated on every load.
    .header("cache-control", "no-cache");
}

/**
 * Serves the web app at /: hashed files under /assets/ with a year's immutable cache, other built files (favicon)
 * briefly cached, and index.html for every other GET outside /api and /healthz, so deep links such as
 * /inbox/open/tickets/12 load the app. Without a build, those pages say how to make one instead of a bare 404.
 */
export async function registerWebStatic(app: FastifyInstance, options: WebStaticOptions = {}) {
  const root = options.root ?? defaultWebDistDir;
  // serve: false: this file decides what is served (and the fallback); the plugin gives reply.sendFile.
  await app.register(fastifyStatic, { root, serve: false, suppressWarning: true });

  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const urlPath = (request.params as { "*"?: string })["*"] ?? "";
    const requested = `/${urlPath}`;
    if (requested === "/api" || requested.startsWith("/api/") || requested === "/healthz") {
      return reply.callNotFound();
    }
    const segments = urlPath.split("/");
    if (segments.some((segment) => segment === ".." || segment.startsWith(".")) || urlPath.includes("\0")) {
      return reply.callNotFound();
    }
    const file = path.join(root, ...segments);
    if (requested.startsWith("/assets/")) {
      if (!isFile(file)) return reply.callNotFound();
      return reply.sendFile(urlPath, root, { immutable: true, maxAge: "365d" });
    }
    if (urlPath !== "" && urlPath !== "index.html" && isFile(file)) {
      return reply.sendFile(urlPath, root, { maxAge: "1h" });
    }
    // A missing file with an extension is a 404, not the app's HTML under a script or image name.
    if (/\.[a-z0-9]+$/i.test(segments[segments.length - 1] ?? "")) return reply.callNotFound();

    setHtmlHeaders(reply);
    if (!isFile(path.join(root, "index.html"))) {
      return reply
        .status(503)
        .type("text/html; charset=utf-8")
        .send(
          "<!doctype html><title>Tend</title><p>The web app is not built yet. Run <code>npm run build:web</code> " +
            "(or <code>npm start</code>, which builds it) and reload.</p>",
        );
    }
    return reply.sendFile("index.html", root, { cacheControl: false });
  });
}
