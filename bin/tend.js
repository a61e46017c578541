#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader (see docs/ARCHITECTURE.md, "Running TypeScript").
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
