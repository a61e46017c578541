import type { Config } from "../config.ts";
import { createUser } from "../modules/users/users.service.ts";
import { openCliContext } from "./cli-context.ts";
import { readPipedSecret } from "./stdin.ts";

/** `tend user create`: a user with a piped password, or a generated one printed once. */
export async function runUserCreateCommand(
  config: Config,
  options: { email: string; role: "agent" | "lead" | "admin"; name?: string },
): Promise<void> {
  const piped = await readPipedSecret();
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
