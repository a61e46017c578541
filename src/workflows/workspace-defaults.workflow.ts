import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { ensureStarterMacros } from "../modules/macros/macros.service.ts";
import { ensureStarterRules } from "../modules/rules/rules.service.ts";
import { ensureSlaDefaults } from "../modules/sla/sla.service.ts";
import { findOrCreateTeam } from "../modules/users/users.service.ts";
import { getWorkspaceTimezone } from "../modules/workspace/workspace.service.ts";

/**
 * What every workspace starts with, all editable: business hours and SLA policies in the workspace's time zone,
 * the starter macros, and the example rules (with the Retention team the cancellation rule hands work to). Runs
 * at every start; adds only what is missing.
 */
export async function ensureWorkspaceDefaults(ctx: ServiceContext): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    await ensureSlaDefaults(tx, { timezone: await getWorkspaceTimezone(tx) });
    await ensureStarterMacros(tx);
    await ensureStarterRules(tx, {
      retentionTeamId: async () => (await findOrCreateTeam(tx, "Retention")).id,
    });
  });
}
