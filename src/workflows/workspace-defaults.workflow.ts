import type { ServiceContext } from "../context.ts";
import { withTransaction } from "../db/transaction.ts";
import { ensureStarterMacros } from "../modules/macros/macros.service.ts";
import { ensureSlaDefaults } from "../modules/sla/sla.service.ts";
import { getWorkspaceTimezone } from "../modules/workspace/workspace.service.ts";

/**
 * What every workspace starts with, all editable: business hours and SLA policies in the workspace's time zone,
 * and the starter macros. Runs at every start; adds only what is missing.
 */
export async function ensureWorkspaceDefaults(ctx: ServiceContext): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    await ensureSlaDefaults(tx, { timezone: await getWorkspaceTimezone(tx) });
    await ensureStarterMacros(tx);
  });
}
