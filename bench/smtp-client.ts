// The SMTP client for `npm run bench -- ingest`, run as its own process so that sending does not compete with
// ingesting on one Node thread (in production the sender is another machine). Prints one JSON line with the
// wall-clock start and end of the timed batch (Date.now(), comparable across processes).
import { randomBytes } from "node:crypto";
import nodemailer from "nodemailer";

const [port, total, connections, domain, offset] = process.argv.slice(2);

const body = (i: number) =>
  `Hello,\n\nmy order #${10000 + i} arrived with a cracked jar and the beans spilled everywhere. ` +
  "Could you send a replacement, or refund it? I have attached nothing, just writing from my phone.\n\nThanks,\nSam\n";

function mailFor(i: number) {
  return {
    from: `"Customer ${i % 400}" <customer${i % 400}@example.com>`,
    to: `support@${domain}`,
    subject: `Damaged order ${10000 + i}`,
    text: body(i),
    messageId: `<bench-${i}-${randomBytes(4).toString("hex")}@example.com>`,
  };
}

const transport = nodemailer.createTransport({
  host: "127.0.0.1",
  port: Number(port),
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: Number(connections),
  maxMessages: Number.POSITIVE_INFINITY,
});
// Warm-up outside the timing.
await Promise.all(
  Array.from({ length: 20 }, (_, i) => transport.sendMail(mailFor(Number(offset) + 1_000_000 + i))),
);
const startMs = Date.now();
await Promise.all(
  Array.from({ length: Number(total) }, (_, i) => transport.sendMail(mailFor(Number(offset) + i))),
);
const endMs = Date.now();
transport.close();
console.log(JSON.stringify({ startMs, endMs }));
