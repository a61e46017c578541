import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RetentionLtv } from "../../api/api-types.ts";
import { csvDownloadUrl } from "../../api/retention-api.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { formatMoney } from "../../lib/format.ts";
import type { Loadable } from "../../lib/use-load.ts";
import { ScopeNote } from "./headline-section.tsx";
import { compactMoney as compact, DefinitionList, majorUnits, nextSteps, Section } from "./retention-ui.tsx";

/** Historical lifetime value: how it spreads over customers, and how cohorts compare. */
export function LtvSection({ state, onRetry }: { state: Loadable<RetentionLtv>; onRetry: () => void }) {
  return (
    <Section
      id="ltv"
      title="Lifetime value"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.customers === 0 ? nextSteps.noOrders : null)}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => {
        const currency = data.scope.currency ?? "USD";
        const bars = data.histogram.map((bin) => ({
          ...bin,
          label:
            bin.toMinor === null
              ? `${compact(bin.fromMinor, currency)}+`
              : `${compact(bin.fromMinor, currency)}–${compact(bin.toMinor, currency)}`,
        }));
        type Bin = RetentionLtv["histogram"][number];
        type CohortRow = RetentionLtv["byCohort"][number];
        const binColumns: Column<Bin>[] = [
          {
            label: "From",
            numeric: true,
            render: (bin) => formatMoney(bin.fromMinor, currency),
            csv: (bin) => majorUnits(bin.fromMinor, currency),
          },
          {
            label: "To",
            numeric: true,
            render: (bin) => (bin.toMinor === null ? "and more" : formatMoney(bin.toMinor, currency)),
            csv: (bin) => (bin.toMinor === null ? null : majorUnits(bin.toMinor, currency)),
          },
          {
            label: "Customers",
            numeric: true,
            render: (bin) => bin.count.toLocaleString(),
            csv: (bin) => bin.count,
          },
        ];
        const cohortColumns: Column<CohortRow>[] = [
          { label: "Cohort", render: (row) => row.cohort, csv: (row) => row.cohort },
          {
            label: "Customers",
            numeric: true,
            render: (row) => row.customers.toLocaleString(),
            csv: (row) => row.customers,
          },
          {
            label: "Mean LTV",
            numeric: true,
            render: (row) => formatMoney(Math.round(row.meanMinor), currency),
            csv: (row) => majorUnits(row.meanMinor, currency),
          },
          {
            label: "Median LTV",
            numeric: true,
            render: (row) => formatMoney(Math.round(row.medianMinor), currency),
            csv: (row) => majorUnits(row.medianMinor, currency),
          },
        ];
        return (
          <>
            <p>
              Customers have spent{" "}
              <strong>
                {data.meanMinor === null ? "–" : formatMoney(Math.round(data.meanMinor), currency)}
              </strong>{" "}
              on average (median{" "}
              {data.medianMinor === null ? "–" : formatMoney(Math.round(data.medianMinor), currency)}; the top
              tenth more than{" "}
              {data.p90Minor === null ? "–" : formatMoney(Math.round(data.p90Minor), currency)}).
            </p>
            <div className="two-up">
              <div>
                <h3>Distribution</h3>
                <figure className="chart" aria-label="Histogram of customers by lifetime value">
                  <ResponsiveContainer width="100%" height={220}>
                    <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                      <CartesianGrid stroke="#e6eaee" vertical={false} />
                      <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
                      <YAxis allowDecimals={false} width={48} />
                      <Tooltip formatter={(value) => [String(value), "Customers"]} />
                      <Bar dataKey="count" name="Customers" fill="#2f6f5e" isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
                <DataTable
                  title="Lifetime value distribution"
                  columns={binColumns}
                  rows={data.histogram}
                  rowKey={(bin) => bin.fromMinor}
                  csvHref={csvDownloadUrl("/api/v1/retention/ltv")}
                  maxHeight={180}
                />
              </div>
              <div>
                <h3>By cohort</h3>
                <figure className="chart" aria-label="Mean lifetime value by cohort">
                  <ResponsiveContainer width="100%" height={220}>
                    <BarChart data={data.byCohort} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                      <CartesianGrid stroke="#e6eaee" vertical={false} />
                      <XAxis dataKey="cohort" tick={{ fontSize: 11 }} />
                      <YAxis tickFormatter={(value: number) => compact(value, currency)} width={56} />
                      <Tooltip formatter={(value) => formatMoney(Math.round(Number(value)), currency)} />
                      <Bar dataKey="meanMinor" name="Mean LTV" fill="#1f5fa8" isAnimationActive={false} />
                      <Bar dataKey="medianMinor" name="Median LTV" fill="#9cc3b6" isAnimationActive={false} />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
                <DataTable
                  title="Lifetime value by cohort"
                  columns={cohortColumns}
                  rows={data.byCohort}
                  rowKey={(row) => row.cohort}
                  maxHeight={180}
                />
              </div>
            </div>
            <ScopeNote scope={data.scope} />
          </>
        );
      }}
    </Section>
  );
}
