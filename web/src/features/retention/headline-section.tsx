import { useState } from "react";
import { api, csvDownloadUrl } from "../../api/api-client.ts";
import type {
  PurchaseReport,
  RetentionRatePeriod,
  RetentionRates,
  RetentionSummary,
} from "../../api/api-types.ts";
import { formatShare } from "../../lib/heat-scale.ts";
import {
  type Column,
  DataTable,
  Definition,
  DefinitionList,
  type Loadable,
  nextSteps,
  Section,
  useLoad,
} from "./retention-ui.tsx";

const headlines = [
  { key: "retentionRate", label: "Retention rate" },
  { key: "churnRate", label: "Churn rate" },
  { key: "repeatPurchaseRate", label: "Repeat purchase rate" },
  { key: "revenueRetention", label: "Revenue retention" },
] as const;

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
      empty={(data) => (data.orders === 0 ? nextSteps.noOrders : null)}
    >
      {(data) => (
        <>
          <dl className="headline-cards">
            {headlines.map(({ key, label }) => (
              <div key={key} className="headline-card" data-testid={`headline-${key}`}>
                <dt>
                  {label} <Definition term={label} text={data.definitions[key]} />
                </dt>
                <dd>{formatShare(data[key])}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            {data.customers.toLocaleString()} customers, {data.orders.toLocaleString()} orders, as of{" "}
            {new Date(data.asOf).toLocaleDateString()}.
          </p>
        </>
      )}
    </Section>
  );
}

type RateRow = RetentionRates["items"][number];
const rateColumns: Column<RateRow>[] = [
  { label: "Period", render: (row) => row.period, csv: (row) => row.period },
  {
    label: "Customers at start",
    numeric: true,
    render: (row) => row.customersAtStart.toLocaleString(),
    csv: (row) => row.customersAtStart,
  },
  {
    label: "Retained",
    numeric: true,
    render: (row) => row.retained.toLocaleString(),
    csv: (row) => row.retained,
  },
  {
    label: "Retention",
    numeric: true,
    render: (row) => formatShare(row.retentionRate),
    csv: (row) => row.retentionRate,
  },
  { label: "Churn", numeric: true, render: (row) => formatShare(row.churnRate), csv: (row) => row.churnRate },
  {
    label: "Revenue retention",
    numeric: true,
    render: (row) => formatShare(row.revenueRetention),
    csv: (row) => row.revenueRetention,
  },
];

/** Retention and churn per month or quarter. */
export function RatesSection() {
  const [period, setPeriod] = useState<RetentionRatePeriod>("month");
  const [state, reload] = useLoad(() => api.retentionRates(period), period);
  return (
    <Section
      id="rates"
      title="Retention by period"
      state={state}
      onRetry={reload}
      empty={(data) => (data.items.length === 0 ? nextSteps.noOrders : null)}
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
          columns={rateColumns}
          rows={data.items}
          rowKey={(row) => row.period}
          csvHref={csvDownloadUrl("/api/v1/retention/rates", { period })}
          maxHeight={260}
        />
      )}
    </Section>
  );
}

/** Repeat purchase rate and how long customers take to buy again. */
export function PurchasesSection() {
  const [state, reload] = useLoad(() => api.retentionPurchases(), "purchases");
  type Bin = PurchaseReport["daysBetween"]["histogram"][number];
  const columns: Column<Bin>[] = [
    {
      label: "Days between purchases",
      render: (bin) => `${bin.lowerDays}–${bin.upperDays}`,
      csv: (bin) => `${bin.lowerDays}-${bin.upperDays}`,
    },
    {
      label: "Repeat purchases",
      numeric: true,
      render: (bin) => bin.count.toLocaleString(),
      csv: (bin) => bin.count,
    },
  ];
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
            customers bought again ({data.repeatCustomers.toLocaleString()}). Median time to the next
            purchase:{" "}
            <strong>
              {data.daysBetween.medianDays === null ? "–" : `${Math.round(data.daysBetween.medianDays)} days`}
            </strong>
            .
          </p>
          <DataTable
            title="Time between purchases"
            columns={columns}
            rows={data.daysBetween.histogram}
            rowKey={(bin) => bin.lowerDays}
            csvHref={csvDownloadUrl("/api/v1/retention/purchases")}
            maxHeight={220}
          />
        </>
      )}
    </Section>
  );
}
