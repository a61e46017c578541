import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = path.dirname(fileURLToPath(import.meta.url));

// The agent's web app. `npm run build:web` writes web/dist, which the API server serves at / (src/http/web-static.ts).
// `npm run dev:web` serves it with hot reload and forwards /api to a running `tend serve` on port 3000.
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: path.join(webRoot, "dist"),
    emptyOutDir: true,
    // Assets get content hashes in their names, so the server may cache them for a year.
    assetsDir: "assets",
    sourcemap: true,
  },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:3000", changeOrigin: false } },
  },
});
