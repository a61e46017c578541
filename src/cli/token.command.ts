import type { Config } from "../config.ts";
import { createApiToken } from "../modules/users/users.service.ts";
import { openCliContext } from "./cli-context.ts";

/**
 * `tend token create`: prints the token alone on stdout (so `TOKEN=$(tend token create ...)` works) and the
 * explanation on stderr. Only its SHA-256 is stored, so this is the one chance to copy it.
 */
export async function runTokenCreateCommand(
  config: Config,
  options: { name: string; role: "agent" | "lead" | "admin" },
): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    const { id, token } = await createApiToken(ctx, { name: options.name, role: options.role });
    process.stdout.write(`${token}\n`);
    process.stderr.write(
      `Created API token "${options.name.trim()}" (id ${id}, role ${options.role}). It is shown only this once; ` +
        "send it as `Authorization: Bearer <token>`.\n",
    );
  } finally {
    await ctx.close();
  }
}
