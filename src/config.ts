import path from "node:path";
import { z } from "zod";

const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number from 0 to 65535" })
    .int("must be a whole port number")
    .min(0, "must be a port number from 0 to 65535")
    .max(65535, "must be a port number from 0 to 65535")
    .default(fallback);

const wholeNumber = (fallback: number, min: number, what: string) =>
  z.coerce
    .number({ error: `must be a whole number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be at least ${min} (${what})`)
    .default(fallback);

/** Environment variables Tend reads, with defaults. The only place that touches process.env. */
const envSchema = z.object({
  TEND_DATA_DIR: z.string().min(1).default("./.tend"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  TEND_PORT: port(3000),
  TEND_HOST: z.string().min(1).default("0.0.0.0"),
  TEND_SMTP_PORT: port(2525),
  TEND_SMTP_HOST: z.string().min(1).default("0.0.0.0"),
  TEND_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:1025")
    .optional(),
  TEND_PUBLIC_URL: z.url().default("http://localhost:3000"),
  TEND_MAIL_DOMAIN: z.string().min(1).default("tend.localhost"),
  TEND_MAX_MESSAGE_BYTES: wholeNumber(25 * 1024 * 1024, 1024, "bytes"),
  TEND_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TEND_SESSION_SECURE: z
    .enum(["auto", "true", "false"])
    .default("auto")
    .describe("Secure flag on the session cookie; auto = when TEND_PUBLIC_URL is https"),
  TEND_IMAP_POLL_SECONDS: wholeNumber(60, 5, "seconds"),
  TEND_JOB_LEASE_SECONDS: wholeNumber(60, 1, "seconds"),
});

export type Config = {
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  host: string;
  smtpPort: number;
  smtpHost: string;
  smtpUrl: string | undefined;
  publicUrl: string;
  mailDomain: string;
  maxMessageBytes: number;
  logLevel: z.infer<typeof envSchema>["TEND_LOG_LEVEL"];
  secureCookies: boolean;
  imapPollSeconds: number;
  /** How long a background job stays with its worker before another may take it over (the first one died). */
  jobLeaseSeconds: number;
};

export class ConfigError extends Error {}

/** Parses the environment once; a bad value throws a ConfigError naming the variable and what to do. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration; fix these environment variables:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.TEND_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    port: e.TEND_PORT,
    host: e.TEND_HOST,
    smtpPort: e.TEND_SMTP_PORT,
    smtpHost: e.TEND_SMTP_HOST,
    smtpUrl: e.TEND_SMTP_URL,
    publicUrl: e.TEND_PUBLIC_URL.replace(/\/$/, ""),
    mailDomain: e.TEND_MAIL_DOMAIN,
    maxMessageBytes: e.TEND_MAX_MESSAGE_BYTES,
    logLevel: e.TEND_LOG_LEVEL,
    secureCookies:
      e.TEND_SESSION_SECURE === "auto"
        ? e.TEND_PUBLIC_URL.startsWith("https:")
        : e.TEND_SESSION_SECURE === "true",
    imapPollSeconds: e.TEND_IMAP_POLL_SECONDS,
    jobLeaseSeconds: e.TEND_JOB_LEASE_SECONDS,
  };
}

/** Test and tool helper: a config with defaults, overridden field by field. */
export function buildConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
