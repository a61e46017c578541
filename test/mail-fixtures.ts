import fs from "node:fs";
import path from "node:path";

const dir = path.resolve(import.meta.dirname, "fixtures/mail");

/** A fixture .eml as bytes, with {{PLACEHOLDERS}} filled in (see test/fixtures/mail/README.md). */
export function loadMailFixture(name: string, values: Record<string, string | number> = {}): Buffer {
  let raw = fs.readFileSync(path.join(dir, name));
  for (const [key, value] of Object.entries(values)) {
    // latin1 round-trips every byte, so 8-bit charset fixtures are not damaged by the substitution.
    raw = Buffer.from(raw.toString("latin1").replaceAll(`{{${key}}}`, String(value)), "latin1");
  }
  return raw;
}
