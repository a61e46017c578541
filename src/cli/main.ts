import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ConfigError, loadConfig } from "../config.ts";
import { registerAnalyzeCommands } from "./analyze-program.ts";
import { CliError } from "./cli-context.ts";
import type { ImportCommandOptions } from "./import.command.ts";
import { LockHeldError } from "./server-lock.ts";

// Command modules are imported inside each action so `tend --help` and small commands start quickly.

const serverRoles = ["api", "smtp", "worker"] as const;
type ServerRole = (typeof serverRoles)[number];
const userRoles = ["agent", "lead", "admin"] as const;
const jobStatuses = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

function parseRoles(value: string): ServerRole[] {
  const roles = value
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);
  const unknown = roles.filter((role) => !serverRoles.includes(role as ServerRole));
  if (roles.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`use a comma-separated list of ${serverRoles.join(", ")}`);
  }
  return [...new Set(roles)] as ServerRole[];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError("use a port from 1 to 65535");
  return port;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidArgumentError("use a number from 1 to 1000");
  return limit;
}

function parseMap(value: string, previous: Record<string, string>): Record<string, string> {
  const map = { ...previous };
  for (const pair of value.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0 || at === pair.length - 1)
      throw new InvalidArgumentError("use field=Column pairs, e.g. amount=Total");
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return map;
}

function parseJobId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1)
    throw new InvalidArgumentError("use a job id");
  return id;
}

export function buildProgram(): Command {
  const program = new Command()
    .name("tend")
    .description("Tend: open-source customer care. Configuration comes from TEND_* environment variables.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("serve")
    .description("Run Tend: the web app and API, the SMTP listener and the background workers")
    .option("--roles <roles>", "what this process runs: api,smtp,worker", parseRoles, [...serverRoles])
    .option("--demo-if-empty", "create the demo workspace when the database is empty")
    .action(async (options: { roles: ServerRole[]; demoIfEmpty?: boolean }) => {
      const config = loadConfig();
      const { serveTend } = await import("../main.ts");
      await serveTend({ config, roles: options.roles, demoIfEmpty: options.demoIfEmpty ?? false });
    });

  program
    .command("demo")
    .description("Create the demo workspace (customers, tickets, orders) and print its login")
    .option("--force", "create it even though the database already has a workspace")
    .action(async (options: { force?: boolean }) => {
      const { runDemoCommand } = await import("./demo.command.ts");
      await runDemoCommand(loadConfig(), { force: options.force ?? false });
    });

  const user = program.command("user").description("Manage agent accounts");
  user
    .command("create")
    .description("Create a user; the password is read from stdin when piped, else generated and printed")
    .requiredOption("--email <email>", "sign-in email address")
    .addOption(new Option("--role <role>", "agent, lead or admin").choices(userRoles).makeOptionMandatory())
    .option("--name <name>", "display name (defaults to the part of the email before @)")
    .action(async (options: { email: string; role: (typeof userRoles)[number]; name?: string }) => {
      const { runUserCreateCommand } = await import("./user.command.ts");
      await runUserCreateCommand(loadConfig(), options);
    });

  const token = program.command("token").description("Manage API tokens");
  token
    .command("create")
    .description("Create an API token with a role and print it (it is shown only once)")
    .requiredOption("--name <name>", "what the token is for, e.g. shop-integration")
    .addOption(new Option("--role <role>", "agent, lead or admin").choices(userRoles).makeOptionMandatory())
    .action(async (options: { name: string; role: (typeof userRoles)[number] }) => {
      const { runTokenCreateCommand } = await import("./token.command.ts");
      await runTokenCreateCommand(loadConfig(), options);
    });

  const mailbox = program.command("mailbox").description("Mail intake from IMAP mailboxes");
  mailbox
    .command("add-imap")
    .description("Poll an IMAP mailbox for new mail; the password is read from stdin")
    .requiredOption("--name <name>", "a label, e.g. support")
    .requiredOption("--host <host>", "IMAP server, e.g. imap.example.com")
    .requiredOption("--username <username>", "IMAP login")
    .option("--port <port>", "IMAP port (default 993, or 143 with --no-tls)", parsePort)
    .option("--no-tls", "connect without TLS first (STARTTLS is still used when offered)")
    .option("--mailbox <folder>", "folder to read", "INBOX")
    .action(
      async (options: {
        name: string;
        host: string;
        username: string;
        port?: number;
        tls: boolean;
        mailbox: string;
      }) => {
        const { runAddImapMailboxCommand } = await import("./mailbox.command.ts");
        await runAddImapMailboxCommand(loadConfig(), options);
      },
    );
  mailbox
    .command("list")
    .description("List IMAP mailboxes with their last poll and error")
    .action(async () => {
      const { runListMailboxesCommand } = await import("./mailbox.command.ts");
      await runListMailboxesCommand(loadConfig());
    });

  const db = program.command("db").description("Database maintenance");
  db.command("migrate")
    .description("Bring the database schema up to date (the server also does this on start)")
    .action(async () => {
      const { runMigrateCommand } = await import("./db.command.ts");
      await runMigrateCommand(loadConfig());
    });
  db.command("dump")
    .description("Write the database as SQL that psql loads into PostgreSQL (stdout unless --out)")
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (options: { out?: string }) => {
      const { runDumpCommand } = await import("./db.command.ts");
      await runDumpCommand(loadConfig(), options);
    });

  db.command("backfill-frustration")
    .description(
      "Score customers' messages stored before the frustration scorer existed, and their tickets (the worker also does this after an upgrade)",
    )
    .option("--batch-size <n>", "unscored messages whose customers one transaction takes", "200")
    .action(async (options: { batchSize: string }) => {
      const { runBackfillFrustrationCommand } = await import("./db.command.ts");
      await runBackfillFrustrationCommand(loadConfig(), { batchSize: Number(options.batchSize) });
    });

  const importer = program
    .command("import")
    .description(
      "Import orders, customers or tickets from a CSV file with a header row (atomic unless --partial)",
    );
  for (const kind of ["orders", "customers", "tickets"] as const) {
    importer
      .command(kind)
      .description(
        {
          orders:
            "Orders: placed_at, amount, and customer_id or email; optional order_id, currency, status, name (re-imports skip rows already imported, with or without an order_id)",
          customers:
            "Customers: customer_id and/or email, optional name; existing customers are matched and updated",
          tickets:
            "Historical tickets: subject, created_at, and customer_id or email; optional ticket_id (re-imports skip known ids), status, solved_at, channel, priority, tags (a;b), and a message per row: body, sent_at, author (customer, agent or note); rows sharing a ticket_id add messages to one ticket",
        }[kind],
      )
      .argument("<file>", "CSV file")
      .option(
        "--map <pairs>",
        "field=Column pairs, e.g. customer_id=Customer,placed_at=Date,amount=Total",
        parseMap,
        {},
      )
      .option("--currency <code>", "currency of amounts when there is no currency column", "EUR")
      .addOption(
        new Option(
          "--date-format <format>",
          "dates besides ISO yyyy-mm-dd: dd/mm/yyyy (dmy) or mm/dd/yyyy (mdy)",
        )
          .choices(["iso", "dmy", "mdy"])
          .default("iso"),
      )
      .option("--decimal-comma", "amounts are written 1.234,50")
      .option("--partial", "import the good rows even when some are bad (default: a bad row imports nothing)")
      .option("--errors-out <file>", "write every bad row (line, reason) to this CSV file")
      .option("--json", "print the summary as JSON")
      .option("--no-progress", "no progress bar on stderr")
      .action(async (file: string, options: ImportCommandOptions) => {
        const { runImportCommand } = await import("./import.command.ts");
        await runImportCommand(loadConfig(), kind, file, options);
      });
  }
  const jobs = program.command("jobs").description("Background jobs: see what waits or failed, retry");
  jobs
    .command("list")
    .description("List jobs, newest first, with the last error of failed ones")
    .addOption(new Option("--status <status>", "only jobs in this status").choices(jobStatuses))
    .option("--name <name>", "only jobs of this kind, e.g. jobs.cleanup")
    .option("--limit <n>", "how many (1-1000)", parseLimit, 50)
    .action(async (options: { status?: (typeof jobStatuses)[number]; name?: string; limit: number }) => {
      const { runJobsListCommand } = await import("./jobs.command.ts");
      await runJobsListCommand(loadConfig(), options);
    });
  jobs
    .command("retry")
    .description("Queue a failed or cancelled job again, due now")
    .argument("<id>", "the job id from `tend jobs list`", parseJobId)
    .action(async (id: number) => {
      const { runJobsRetryCommand } = await import("./jobs.command.ts");
      await runJobsRetryCommand(loadConfig(), id);
    });
  jobs
    .command("run-due")
    .description(
      "Run the jobs and schedules that are due now, then exit (for setups without a worker process)",
    )
    .action(async () => {
      const { runJobsRunDueCommand } = await import("./jobs.command.ts");
      await runJobsRunDueCommand(loadConfig());
    });

  registerAnalyzeCommands(program, loadConfig);

  return program;
}

/** Runs the CLI and exits: 0 on success, 2 on bad configuration or usage, 1 on other failures. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    process.exitCode = 0;
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed the usage problem (or the help/version text).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof LockHeldError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (error instanceof Error && error.name === "AppError") {
    // validation_failed, conflict, ...: the message already says what was wrong.
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if ((error as NodeJS.ErrnoException).code === "EPIPE") {
    // The reader went away (`tend db dump | head`); there is nobody left to tell.
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tend failed: ${message}\n`);
  return 1;
}

await runCli(process.argv);
// Exit once output is flushed, rather than waiting on a timer or socket some library left behind.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
process.exit();
