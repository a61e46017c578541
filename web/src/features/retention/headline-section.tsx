import { useState } from "react";
import type {
  PeriodRetention,
  RetentionPeriod,
  RetentionPurchases,
  RetentionScope,
  RetentionSummary,
} from "../../api/api-types.ts";
import { csvDownloadUrl, retentionApi } from "../../api/retention-api.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { formatMoney } from "../../lib/format.ts";
import { formatShare } from "../../lib/heat-scale.ts";
import { days, headlinesOf } from "../../lib/retention-shaping.ts";
import { type Loadable, useLoad } from "../../lib/use-load.ts";
import { Definition, DefinitionList, majorUnits, nextSteps, Section } from "./retention-ui.tsx";

/** What the figures were computed from, and what was left out. */
export function ScopeNote({ scope, extra }: { scope: RetentionScope; extra?: string }) {
  return (
    <p className="muted small">
      {scope.customers.toLocaleString()} customers, {scope.orders.toLocaleString()} orders
      {scope.currency ? ` in ${scope.currency}` : ""}
      {scope.firstPurchase && scope.lastPurchase
        ? ` from ${scope.firstPurchase} to ${scope.lastPurchase}`
        : ""}
      , as of {scope.asOf}.{extra ? ` ${extra}` : ""}
      {scope.excluded.length > 0 &&
        ` Left out: ${scope.excluded.map((e) => `${e.count.toLocaleString()} ${e.reason}`).join("; ")}.`}
    </p>
  );
}

/** The four headline figures, each with its definition behind a "?". */
export function HeadlineSection({
  state,
  onRetry,
}: {
  state: Loadable<RetentionSummary>;
  onRetry: () => void;
}) {
  return (
    <Section
      id="headline"
      title="Headline"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.scope.orders === 0 ? nextSteps.noOrders : null)}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => (
        <>
          <dl className="headline-cards">
            {headlinesOf(data).map((headline) => (
              <div key={headline.key} className="headline-card" data-testid={`headline-${headline.key}`}>
                <dt>
                  {headline.label} <Definition term={headline.label} text={headline.definition} />
                </dt>
                <dd>
                  <span className="headline-value">{formatShare(headline.value)}</span>
                  <span className="headline-detail">{headline.detail}</span>
                </dd>
              </div>
            ))}
          </dl>
          <ScopeNote
            scope={data.scope}
            extra={
              data.scope.currency
                ? `Revenue ${formatMoney(data.revenueMinor, data.scope.currency)}.`
                : undefined
            }
          />
        </>
      )}
    </Section>
  );
}

const rateColumns = (currency: string): Column<PeriodRetention>[] => [
  {
    label: "Period",
    render: (row) => (row.partial ? `${row.period} (so far)` : row.period),
    csv: (row) => (row.partial ? `${row.period} (partial)` : row.period),
  },
  {
    label: "Active",
    numeric: true,
    render: (row) => row.activeCustomers.toLocaleString(),
    csv: (row) => row.activeCustomers,
  },
  {
    label: "New",
    numeric: true,
    render: (row) => row.newCustomers.toLocaleString(),
    csv: (row) => row.newCustomers,
  },
  {
    label: "Previous",
    numeric: true,
    render: (row) => row.previousCustomers.toLocaleString(),
    csv: (row) => row.previousCustomers,
  },
  {
    label: "Retained",
    numeric: true,
    render: (row) => row.retainedCustomers.toLocaleString(),
    csv: (row) => row.retainedCustomers,
  },
  {
    label: "Retention",
    numeric: true,
    render: (row) => formatShare(row.customerRetentionRate),
    csv: (row) => row.customerRetentionRate,
  },
  {
    label: "Churn",
    numeric: true,
    render: (row) => formatShare(row.customerChurnRate),
    csv: (row) => row.customerChurnRate,
  },
  {
    label: "Gross rev. ret.",
    numeric: true,
    render: (row) => formatShare(row.grossRevenueRetention),
    csv: (row) => row.grossRevenueRetention,
  },
  {
    label: "Net rev. ret.",
    numeric: true,
    render: (row) => formatShare(row.netRevenueRetention),
    csv: (row) => row.netRevenueRetention,
  },
  {
    label: "Revenue",
    numeric: true,
    render: (row) => formatMoney(row.revenueMinor, currency),
    csv: (row) => majorUnits(row.revenueMinor, currency),
  },
];

/** Retention and churn per month or quarter. */
export function RatesSection() {
  const [period, setPeriod] = useState<RetentionPeriod>("month");
  const [state, reload] = useLoad(() => retentionApi.rates(period), period);
  return (
    <Section
      id="rates"
      title="Retention by period"
      state={state}
      onRetry={reload}
      wide
      empty={(data) => (data.rows.length === 0 ? nextSteps.noOrders : null)}
      actions={
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {(["month", "quarter"] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="rates-period"
                value={value}
                checked={period === value}
                onChange={() => setPeriod(value)}
              />
              {value === "month" ? "Monthly" : "Quarterly"}
            </label>
          ))}
        </fieldset>
      }
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => (
        <DataTable
          title={period === "month" ? "Retention by month" : "Retention by quarter"}
          columns={rateColumns(data.scope.currency ?? "USD")}
          rows={[...data.rows].reverse()}
          rowKey={(row) => row.period}
          csvHref={csvDownloadUrl("/api/v1/retention/rates", { period })}
          maxHeight={280}
        />
      )}
    </Section>
  );
}

type IntervalBin = RetentionPurchases["histogram"][number];
const intervalColumns: Column<IntervalBin>[] = [
  { label: "Days to the next purchase", render: (bin) => bin.label, csv: (bin) => bin.label },
  {
    label: "Repeat purchases",
    numeric: true,
    render: (bin) => bin.count.toLocaleString(),
    csv: (bin) => bin.count,
  },
];

/** Repeat purchase rate and how long customers take to buy again. */
export function PurchasesSection() {
  const [state, reload] = useLoad(() => retentionApi.purchases(), "purchases");
  return (
    <Section
      id="purchases"
      title="Repeat purchases"
      state={state}
      onRetry={reload}
      empty={(data) => (data.customers === 0 ? nextSteps.noOrders : null)}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => (
        <>
          <p>
            <strong>{formatShare(data.repeatPurchaseRate)}</strong> of {data.customers.toLocaleString()}{" "}
            customers bought again ({data.repeatCustomers.toLocaleString()}). Between purchases: median{" "}
            <strong>{days(data.intervals.medianDays)}</strong> (middle half {days(data.intervals.p25Days)} to{" "}
            {days(data.intervals.p75Days)}); new customers come back after a median{" "}
            {days(data.firstRepeat.medianDays)}.
          </p>
          <DataTable
            title="Time between purchases"
            columns={intervalColumns}
            rows={data.histogram}
            rowKey={(bin) => bin.fromDays}
            csvHref={csvDownloadUrl("/api/v1/retention/purchases")}
            maxHeight={220}
          />
        </>
      )}
    </Section>
  );
}
