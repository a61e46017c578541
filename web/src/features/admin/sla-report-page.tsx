import { useEffect, useId, useMemo, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { adminApi } from "../../api/admin-api.ts";
import type { ReportPeriod, SlaMetric, SlaReport, SlaReportGroupBy } from "../../api/api-types.ts";
import { downloadText } from "../../lib/csv.ts";
import { toCsv } from "../../lib/csv-export.ts";
import { formatMinutes, formatShare } from "../../lib/duration.ts";
import { AdminPageFrame, messageOf } from "./admin-parts.tsx";

export const slaMetricLabels: Record<SlaMetric, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};
const metricColors: Record<SlaMetric, string> = {
  first_response: "#2f6f5e",
  next_response: "#1f5fa8",
  resolution: "#b5651d",
};
const groupLabels: Record<SlaReportGroupBy, string> = {
  none: "Everything",
  team: "Team",
  agent: "Agent",
  priority: "Priority",
  channel: "Channel",
  period: "Period",
};
const metrics: SlaMetric[] = ["first_response", "next_response", "resolution"];

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

function groupName(group: { key: string | null; label: string | null }): string {
  return group.label ?? group.key ?? "None";
}

/** Leads: how often each SLA target was met and how long things took, by team, agent, priority, channel or period. */
export function SlaReportPage() {
  const [groupBy, setGroupBy] = useState<SlaReportGroupBy>("team");
  const [period, setPeriod] = useState<ReportPeriod>("week");
  const [from, setFrom] = useState(daysAgo(89));
  const [to, setTo] = useState(daysAgo(0));
  const [report, setReport] = useState<SlaReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const ids = useId();

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    adminApi
      .slaReport({ groupBy, period, from: from || undefined, to: to || undefined })
      .then((next) => {
        if (!cancelled) setReport(next);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(messageOf(caught, "Could not load the report"));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [groupBy, period, from, to]);

  // One chart point per group: the share met for each metric, in percent.
  const chartData = useMemo(() => {
    if (!report) return [];
    const byGroup = new Map<string, Record<string, string | number | null>>();
    for (const row of report.rows) {
      const name = groupName(row.group);
      const point = byGroup.get(name) ?? { name };
      point[row.metric] = row.metShare === null ? null : Math.round(row.metShare * 1000) / 10;
      byGroup.set(name, point);
    }
    return [...byGroup.values()];
  }, [report]);

  const header = [
    groupLabels[groupBy],
    "Target",
    "Completed",
    "With a target",
    "Met",
    "Share met",
    "Median (business min)",
    "90th percentile (business min)",
  ];
  const csv = () => {
    if (!report) return;
    const rows = report.rows.map((row) => [
      groupName(row.group),
      slaMetricLabels[row.metric],
      row.completed,
      row.withTarget,
      row.met,
      row.metShare,
      row.medianMinutes,
      row.p90Minutes,
    ]);
    downloadText(`sla-report-${groupBy}-${report.from}-${report.to}.csv`, toCsv(header, rows));
  };

  const chartSummary = report
    ? chartData
        .map(
          (point) =>
            `${point.name}: ${metrics
              .filter((metric) => point[metric] !== undefined && point[metric] !== null)
              .map((metric) => `${slaMetricLabels[metric]} ${point[metric]}%`)
              .join(", ")}`,
        )
        .join("; ")
    : "";
  const Chart = groupBy === "period" ? LineChart : BarChart;

  return (
    <AdminPageFrame
      title="SLA report"
      intro="Share of SLA targets met, with median and 90th-percentile times in business minutes, for clocks that finished in the chosen days."
      error={error}
      busy={loading}
    >
      <form className="filter-bar" onSubmit={(event) => event.preventDefault()}>
        <label>
          Group by{" "}
          <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as SlaReportGroupBy)}>
            {(Object.keys(groupLabels) as SlaReportGroupBy[]).map((key) => (
              <option key={key} value={key}>
                {groupLabels[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period{" "}
          <select
            value={period}
            disabled={groupBy !== "period"}
            onChange={(event) => setPeriod(event.target.value as ReportPeriod)}
          >
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label>
          From <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
        <button type="button" className="button" onClick={csv} disabled={!report || report.rows.length === 0}>
          Download CSV
        </button>
      </form>

      {report && report.rows.length === 0 && <p className="empty">No SLA clocks finished in these days.</p>}
      {report && report.rows.length > 0 && (
        <>
          <figure className="chart-figure" aria-labelledby={`${ids}-cap`}>
            <figcaption id={`${ids}-cap`}>
              Share of targets met by {groupLabels[groupBy].toLowerCase()}, {report.from} to {report.to} (
              {report.timezone})
            </figcaption>
            <div role="img" aria-label={`Chart. ${chartSummary}. The table below has every figure.`}>
              <ResponsiveContainer width="100%" height={260}>
                <Chart data={chartData} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#dde3e9" />
                  <XAxis
                    dataKey="name"
                    tick={{ fontSize: 12 }}
                    interval={groupBy === "period" ? "preserveStartEnd" : 0}
                  />
                  <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
                  <Tooltip formatter={(value) => `${value}%`} />
                  <Legend />
                  {metrics.map((metric) =>
                    groupBy === "period" ? (
                      <Line
                        key={metric}
                        type="linear"
                        dataKey={metric}
                        name={slaMetricLabels[metric]}
                        stroke={metricColors[metric]}
                        connectNulls
                        isAnimationActive={false}
                      />
                    ) : (
                      <Bar
                        key={metric}
                        dataKey={metric}
                        name={slaMetricLabels[metric]}
                        fill={metricColors[metric]}
                        isAnimationActive={false}
                      />
                    ),
                  )}
                </Chart>
              </ResponsiveContainer>
            </div>
          </figure>
          <div className="table-scroll">
            <table className="data-table" data-testid="sla-report-table">
              <caption className="visually-hidden">
                SLA figures by {groupLabels[groupBy].toLowerCase()}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{groupLabels[groupBy]}</th>
                  <th scope="col">Target</th>
                  <th scope="col" className="num">
                    Completed
                  </th>
                  <th scope="col" className="num">
                    With a target
                  </th>
                  <th scope="col" className="num">
                    Met
                  </th>
                  <th scope="col" className="num">
                    Share met
                  </th>
                  <th scope="col" className="num">
                    Median
                  </th>
                  <th scope="col" className="num">
                    90th percentile
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <tr key={`${row.group.key}-${row.metric}`}>
                    <th scope="row">{groupName(row.group)}</th>
                    <td>{slaMetricLabels[row.metric]}</td>
                    <td className="num">{row.completed}</td>
                    <td className="num">{row.withTarget}</td>
                    <td className="num">{row.met}</td>
                    <td className="num">{formatShare(row.metShare)}</td>
                    <td className="num">{formatMinutes(row.medianMinutes)}</td>
                    <td className="num">{formatMinutes(row.p90Minutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AdminPageFrame>
  );
}
