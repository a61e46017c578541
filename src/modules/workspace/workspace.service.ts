import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { workspace } from "../../db/schema.ts";

/** The business's time zone (reports and default business hours use it); UTC before a workspace exists. */
export async function getWorkspaceTimezone(ctx: Pick<ServiceContext, "db">): Promise<string> {
  const [row] = await ctx.db
    .select({ timezone: workspace.timezone })
    .from(workspace)
    .where(eq(workspace.id, 1));
  return row?.timezone ?? "UTC";
}
