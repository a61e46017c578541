// `npm run bench -- NAME [args]`: runs bench/NAME.bench.ts and writes bench/results/NAME.json.
// Every benchmark runs its baseline in the same process, so the figure to read is the ratio.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .filter((file) => file.endsWith(".bench.ts"))
  .map((file) => file.replace(/\.bench\.ts$/, ""));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <name>\nAvailable: ${available.join(", ")}`);
  process.exit(2);
}
const module = (await import(path.join(here, `${name}.bench.ts`))) as {
  run(args: string[]): Promise<Record<string, unknown>>;
};
const started = new Date();
const result = await module.run(args);
const record = {
  benchmark: name,
  date: started.toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  ...result,
};
fs.mkdirSync(path.join(here, "results"), { recursive: true });
const out = path.join(here, "results", `${name}.json`);
fs.writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
console.log(JSON.stringify(record, null, 2));
console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
process.exit(0);
