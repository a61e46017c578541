import type { Config } from "../config.ts";
import { createUser } from "../modules/users/users.service.ts";
import { openCliContext } from "./cli-context.ts";

async function readPipedPassword(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  // Only the line ending `echo` or a file adds; spaces inside or around a password are the user's choice.
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  return password === "" ? null : password;
}

/** `tend user create`: a user with a piped password, or a generated one printed once. */
export async function runUserCreateCommand(
  config: Config,
  options: { email: string; role: "agent" | "lead" | "admin"; name?: string },
): Promise<void> {
  const piped = await readPipedPassword();
  const ctx = await openCliContext(config);
  try {
    const name = options.name?.trim() || options.email.split("@")[0] || options.email;
    const { user, password } = await createUser(ctx, {
      email: options.email,
      name,
      role: options.role,
      ...(piped === null ? {} : { password: piped }),
    });
    process.stdout.write(`Created ${user.role} ${user.email} (${user.name}, id ${user.id}).\n`);
    if (piped === null) {
      process.stdout.write(
        `Password: ${password}\n(shown only this once; the user can sign in with it now)\n`,
      );
    }
  } finally {
    await ctx.close();
  }
}
