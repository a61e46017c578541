// A loopback SMTP server standing in for the business's outbound relay: it keeps every mail it accepted (raw and
// parsed), and can hold the first mail's DATA unanswered, so a test can kill the sender in the middle of sending.
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type CaughtMail = { raw: string; parsed: ParsedMail; to: string[] };

export type SmtpSink = {
  url: string;
  port: number;
  /** Mails the sink answered 250 to, in order. */
  accepted: CaughtMail[];
  /** How many mails' DATA arrived while the sink was holding (never answered, so never accepted). */
  held(): number;
  waitForAccepted(n: number, deadlineMs?: number): Promise<CaughtMail[]>;
  waitForHeld(n: number, deadlineMs?: number): Promise<void>;
  /** From now on, answer every mail at once. */
  release(): void;
  close(): Promise<void>;
};

export async function startSmtpSink(options: { holdFirst?: boolean } = {}): Promise<SmtpSink> {
  const accepted: CaughtMail[] = [];
  let holding = options.holdFirst ?? false;
  let heldCount = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (holding) {
          // Never answered: the client is left waiting for the 250 until it dies or gives up.
          heldCount++;
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (parsed) => {
            accepted.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const poll = async (done: () => boolean, what: string, deadlineMs: number) => {
    const until = Date.now() + deadlineMs;
    while (!done()) {
      if (Date.now() > until) throw new Error(`SMTP sink: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    accepted,
    held: () => heldCount,
    async waitForAccepted(n, deadlineMs = 10_000) {
      await poll(() => accepted.length >= n, `got ${accepted.length} of ${n} mails`, deadlineMs);
      return accepted;
    },
    async waitForHeld(n, deadlineMs = 60_000) {
      await poll(() => heldCount >= n, `held ${heldCount} of ${n} mails`, deadlineMs);
    },
    release() {
      holding = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header of a raw mail, unfolded; undefined when it is missing. */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0];
  return new RegExp(`^${name}:\\s*(.+(?:\\r?\\n[ \\t].+)*)`, "im")
    .exec(head)?.[1]
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}
