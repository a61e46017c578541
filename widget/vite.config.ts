import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const widgetRoot = path.dirname(fileURLToPath(import.meta.url));

// The embeddable chat widget: one self-contained, minified script (no framework, no dependencies) that Tend serves
// at /widget.js (src/modules/chat/chat-widget.routes.ts). Built by scripts/ensure-web-build.mjs with the web app.
export default defineConfig({
  root: widgetRoot,
  publicDir: false,
  build: {
    outDir: path.join(widgetRoot, "dist"),
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    lib: {
      entry: path.join(widgetRoot, "src/widget.ts"),
      formats: ["iife"],
      name: "TendChatWidget",
      fileName: () => "widget.js",
    },
  },
});
