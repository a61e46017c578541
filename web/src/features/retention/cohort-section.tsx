import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RetentionCohorts } from "../../api/api-types.ts";
import { csvDownloadUrl } from "../../api/retention-api.ts";
import { CsvButton, ScrollRegion } from "../../components/data-table.tsx";
import { formatShare, heatColor } from "../../lib/heat-scale.ts";
import { retentionCurves } from "../../lib/retention-shaping.ts";
import type { Loadable } from "../../lib/use-load.ts";
import { chartPalette, DefinitionList, nextSteps, Section } from "./retention-ui.tsx";

/**
 * The cohort matrix as a real table: a row per first-purchase month, a column per month since, each cell coloured
 * by the share still buying and showing the value itself (share or count, as chosen).
 */
export function CohortHeatmapSection({
  state,
  onRetry,
}: {
  state: Loadable<RetentionCohorts>;
  onRetry: () => void;
}) {
  const [show, setShow] = useState<"shares" | "counts">("shares");
  return (
    <Section
      id="cohorts"
      title="Cohort retention"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.rows.length === 0 ? nextSteps.noOrders : null)}
      actions={
        <fieldset className="segmented">
          <legend className="visually-hidden">Cells show</legend>
          {(["shares", "counts"] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="cohort-cells"
                value={value}
                checked={show === value}
                onChange={() => setShow(value)}
              />
              {value === "shares" ? "Share" : "Customers"}
            </label>
          ))}
        </fieldset>
      }
      readyActions={() => (
        <CsvButton title="Cohort retention" href={csvDownloadUrl("/api/v1/retention/cohorts")} />
      )}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => <CohortHeatmap matrix={data} show={show} />}
    </Section>
  );
}

function CohortHeatmap({ matrix, show }: { matrix: RetentionCohorts; show: "shares" | "counts" }) {
  const widest = Math.max(0, ...matrix.rows.map((row) => row.shares.length - 1));
  const ages = Array.from({ length: widest + 1 }, (_, age) => age);
  return (
    <ScrollRegion className="table-scroll heatmap-scroll" label="Cohort retention table">
      <table className="heatmap" data-testid="cohort-heatmap">
        <caption>
          Share of each first-purchase cohort that bought again in each month since their first purchase
          {show === "counts" ? " (cells show customers)" : ""}. Darker is higher.
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" className="num">
              Customers
            </th>
            {ages.map((age) => (
              <th key={age} scope="col" className="num">
                <span aria-hidden="true">{age}</span>
                <span className="visually-hidden">Month {age}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((cohort) => (
            <tr key={cohort.cohort}>
              <th scope="row">{cohort.cohort}</th>
              <td className="num">{cohort.customers.toLocaleString()}</td>
              {ages.map((age) => {
                const share = cohort.shares[age];
                if (share === undefined) return <td key={age} className="heat-none" />;
                const { background, color } = heatColor(share);
                const count = cohort.counts[age] ?? 0;
                return (
                  <td
                    key={age}
                    className="num heat"
                    style={{ background, color }}
                    title={`${cohort.cohort}, month ${age}: ${count.toLocaleString()} of ${cohort.customers.toLocaleString()} (${formatShare(share)})`}
                  >
                    {show === "shares" ? formatShare(share, 0) : count.toLocaleString()}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Columns: months since the first purchase. Hover a cell for its count and share.
      </p>
    </ScrollRegion>
  );
}

/** Retention curves: one line per recent cohort, share still buying by month since first purchase. */
export function RetentionCurvesSection({
  state,
  onRetry,
}: {
  state: Loadable<RetentionCohorts>;
  onRetry: () => void;
}) {
  return (
    <Section
      id="curves"
      title="Retention curves"
      state={state}
      onRetry={onRetry}
      empty={(data) => (data.rows.length === 0 ? nextSteps.noOrders : null)}
    >
      {(data) => {
        const curves = retentionCurves(data, { maxCohorts: 8, minAge: 2 });
        if (curves.cohorts.length === 0)
          return <p className="section-empty">No cohort is older than two months yet; come back later.</p>;
        return (
          <figure className="chart" aria-label="Retention curves by cohort">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={curves.points} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
                <CartesianGrid stroke="#e6eaee" />
                <XAxis
                  dataKey="age"
                  type="number"
                  domain={[0, "dataMax"]}
                  allowDecimals={false}
                  label={{ value: "Months since first purchase", position: "insideBottom", offset: -8 }}
                />
                <YAxis tickFormatter={(value: number) => formatShare(value, 0)} domain={[0, 1]} width={48} />
                <Tooltip
                  formatter={(value) => formatShare(typeof value === "number" ? value : null)}
                  labelFormatter={(age) => `Month ${age}`}
                />
                <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
                {curves.cohorts.map((cohort, index) => (
                  <Line
                    key={cohort}
                    dataKey={cohort}
                    name={cohort}
                    stroke={chartPalette[index % chartPalette.length]}
                    strokeDasharray={index >= chartPalette.length / 2 ? "5 3" : undefined}
                    dot={false}
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
            <figcaption className="muted small">
              The {curves.cohorts.length} most recent cohorts at least two months old (month 1 onwards; month
              0 is everyone). The table above has every cohort.
            </figcaption>
          </figure>
        );
      }}
    </Section>
  );
}
