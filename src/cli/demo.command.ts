import type { Config } from "../config.ts";
import { createDemoWorkspace, isWorkspaceInitialised } from "../modules/demo/demo.service.ts";
import { CliError, openCliContext, writeDemoLogin } from "./cli-context.ts";

/** `tend demo [--force]`: fills the database with the demo workspace and prints its login. */
export async function runDemoCommand(config: Config, options: { force: boolean }): Promise<void> {
  const ctx = await openCliContext(config);
  try {
    if (!options.force && (await isWorkspaceInitialised(ctx))) {
      throw new CliError(
        "This database already has a workspace, so the demo was not added. Run `tend demo --force` to add the demo data anyway.",
      );
    }
    process.stdout.write("Creating the demo workspace...\n");
    const { login } = await createDemoWorkspace(ctx, {
      onProgress: (step, done, total) => process.stdout.write(`  [${done}/${total}] ${step}\n`),
    });
    const file = writeDemoLogin(config, config.publicUrl, login);
    process.stdout.write(
      `\nDemo login (start the server with \`tend serve\`):\n  URL:      ${config.publicUrl}\n  Email:    ${login.email}\n  Password: ${login.password}\n(also saved in ${file}, readable only by you)\n`,
    );
  } finally {
    await ctx.close();
  }
}
