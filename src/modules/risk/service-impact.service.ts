import {
  analyseServiceImpact,
  type ServiceImpactCustomer,
  type ServiceImpactOptions,
} from "../../analytics/survival/service-impact.ts";
import type { ServiceContext } from "../../context.ts";
import { selectCountedOrders, selectServiceContacts } from "./risk.repo.ts";

const dayMs = 86_400_000;

export type ServiceImpactSettings = Omit<ServiceImpactOptions, "now">;

function formatMoney(minor: number, currency: string | null): string {
  if (!currency) return (minor / 100).toFixed(2);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 }).format(
      minor / 100,
    );
  } catch {
    return `${(minor / 100).toFixed(0)} ${currency}`;
  }
}

/**
 * "What service does to retention" for this workspace: each customer's counted orders and their tickets as
 * service contacts (first response against its SLA target, reopened, CSAT), analysed in src/analytics.
 */
export async function getServiceImpact(
  ctx: Pick<ServiceContext, "db" | "clock">,
  settings: ServiceImpactSettings = {},
) {
  const now = ctx.clock.now().getTime() / dayMs;
  const orderRows = await selectCountedOrders(ctx.db);
  const contactRows = await selectServiceContacts(ctx.db);
  const byId = new Map<
    number,
    { orders: { day: number; amount: number }[]; contacts: ServiceImpactCustomer["contacts"][number][] }
  >();
  const customerOf = (id: number) => {
    let entry = byId.get(id);
    if (!entry) {
      entry = { orders: [], contacts: [] };
      byId.set(id, entry);
    }
    return entry;
  };
  const currencies = new Map<string, number>();
  for (const row of orderRows) {
    customerOf(row.customerId).orders.push({ day: row.day, amount: Number(row.amountMinor) });
    currencies.set(row.currency, (currencies.get(row.currency) ?? 0) + 1);
  }
  for (const row of contactRows) {
    customerOf(row.customerId).contacts.push({
      day: row.day,
      experiences: {
        slowFirstResponse: row.slowFirstResponse ?? undefined,
        reopened: row.reopened,
        frustrated: row.frustrated ?? undefined,
        lowCsat: row.csat === null ? undefined : row.csat <= 2 ? true : row.csat >= 4 ? false : undefined,
      },
    });
  }
  const currency = [...currencies.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const customers = [...byId.entries()].map(([id, entry]) => ({ id, ...entry }));
  const report = analyseServiceImpact(customers, { ...settings, now });
  return {
    ...report,
    currency,
    experiences: report.experiences.map((experience) => ({
      ...experience,
      message: experience.message.replace(
        "{value}",
        experience.valueLostPerEventMinor
          ? `${formatMoney(experience.valueLostPerEventMinor.value, currency)} (${formatMoney(experience.valueLostPerEventMinor.lower, currency)}-${formatMoney(experience.valueLostPerEventMinor.upper, currency)})`
          : "",
      ),
    })),
  };
}

export type ServiceImpact = Awaited<ReturnType<typeof getServiceImpact>>;
