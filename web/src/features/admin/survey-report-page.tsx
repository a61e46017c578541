import { type FormEvent, useCallback, useEffect, useId, useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { adminApi } from "../../api/admin-api.ts";
import type {
  PublicUser,
  Recovery,
  RecoveryOutcome,
  ReportPeriod,
  SurveyGroupBy,
  SurveyMetric,
  SurveyReport,
  SurveyResponseItem,
} from "../../api/api-types.ts";
import { downloadText } from "../../lib/csv.ts";
import { toCsv } from "../../lib/csv-export.ts";
import { formatDateTime, formatRelativeTime } from "../../lib/format.ts";
import { AdminPageFrame, messageOf } from "./admin-parts.tsx";

const metricLabels: Record<SurveyMetric, string> = {
  csat: "CSAT (share of 4–5)",
  nps: "NPS (promoters − detractors)",
  ces: "CES (mean effort score)",
};
const groupLabels: Record<SurveyGroupBy, string> = {
  none: "Everything",
  agent: "Agent",
  team: "Team",
  channel: "Channel",
};
const outcomeLabels: Record<RecoveryOutcome, string> = {
  recovered: "Recovered",
  not_recovered: "Not recovered",
  unreachable: "Could not reach",
};
const lineColors = ["#2f6f5e", "#1f5fa8", "#b5651d", "#7b3fa0", "#b3261e", "#0f7c8c", "#6b5200", "#444"];

/** CSAT as a percent, NPS in signed points, CES as a mean to one decimal. */
export function formatMetric(metric: SurveyMetric, value: number | null): string {
  if (value === null) return "–";
  if (metric === "csat") return `${value.toFixed(1)}%`;
  if (metric === "nps") return `${value > 0 ? "+" : ""}${Math.round(value)}`;
  return value.toFixed(1);
}

function groupName(group: { key: string | null; label: string | null }): string {
  return group.label ?? group.key ?? "All";
}

function startOfRange(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

function RecoveryRow({ recovery, onRecorded }: { recovery: Recovery; onRecorded: (r: Recovery) => void }) {
  const [outcome, setOutcome] = useState<RecoveryOutcome>("recovered");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const who = recovery.customer.name ?? `Customer #${recovery.customer.id}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onRecorded(
        await adminApi.recordRecoveryOutcome(recovery.id, { outcome, note: note.trim() || undefined }),
      );
    } catch (caught) {
      setError(messageOf(caught, "Could not record the outcome"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="recovery" aria-labelledby={`${id}-who`}>
      <div className="recovery-head">
        <strong id={`${id}-who`}>{who}</strong>
        <span className="muted">
          {recovery.metric?.toUpperCase()} {recovery.score ?? "–"}
          {recovery.ticketId && (
            <>
              {" · "}
              <a href={`/inbox/recover/tickets/${recovery.ticketId}`}>ticket #{recovery.ticketId}</a>
            </>
          )}
          {recovery.owner && ` · ${recovery.owner.name}`}
        </span>
        {recovery.status === "open" ? (
          <span className={recovery.overdue ? "badge badge-danger" : "badge"}>
            {recovery.overdue ? "Overdue" : "Due"} {formatRelativeTime(recovery.dueAt)}
          </span>
        ) : (
          <span className="badge badge-ok">
            {recovery.outcome ? outcomeLabels[recovery.outcome] : "Done"}
          </span>
        )}
      </div>
      {recovery.comment && <blockquote className="comment">“{recovery.comment}”</blockquote>}
      {recovery.status === "done" ? (
        <p className="muted">
          {recovery.outcomeNote && `${recovery.outcomeNote} · `}
          {recovery.resolvedAt && `recorded ${formatDateTime(recovery.resolvedAt)}`}
          {recovery.boughtAgainAt && ` · bought again ${formatDateTime(recovery.boughtAgainAt)}`}
        </p>
      ) : (
        <form className="inline-form" onSubmit={submit}>
          <label>
            Outcome for {who}{" "}
            <select value={outcome} onChange={(event) => setOutcome(event.target.value as RecoveryOutcome)}>
              {(Object.keys(outcomeLabels) as RecoveryOutcome[]).map((key) => (
                <option key={key} value={key}>
                  {outcomeLabels[key]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Note{" "}
            <input
              type="text"
              value={note}
              maxLength={5000}
              placeholder="What you did"
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          <button type="submit" className="button button-small button-primary" disabled={busy}>
            Record outcome
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </li>
  );
}

/** Leads: CSAT, NPS and CES by agent, team or channel with their trend, the comments, and low-score recoveries. */
export function SurveyReportPage({ me: _me }: { me: PublicUser }) {
  const [metric, setMetric] = useState<SurveyMetric>("csat");
  const [groupBy, setGroupBy] = useState<SurveyGroupBy>("none");
  const [period, setPeriod] = useState<ReportPeriod>("week");
  const [days, setDays] = useState(90);
  const [report, setReport] = useState<SurveyReport | null>(null);
  const [comments, setComments] = useState<SurveyResponseItem[]>([]);
  const [recoveries, setRecoveries] = useState<Recovery[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [loading, setLoading] = useState(true);
  const ids = useId();

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    Promise.all([
      adminApi.surveyReport({ metric, groupBy, period, from: startOfRange(days) }),
      adminApi.surveyComments({ metric, limit: 20 }),
    ])
      .then(([nextReport, nextComments]) => {
        if (cancelled) return;
        setReport(nextReport);
        setComments(nextComments.items);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(messageOf(caught, "Could not load the survey report"));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [metric, groupBy, period, days]);

  const loadRecoveries = useCallback(async () => {
    try {
      const [open, done] = await Promise.all([
        adminApi.recoveries({ status: "open", limit: 50 }),
        adminApi.recoveries({ status: "done", limit: 10 }),
      ]);
      setRecoveries([...open.items, ...done.items]);
    } catch (caught) {
      setError(messageOf(caught, "Could not load the recoveries"));
    }
  }, []);
  useEffect(() => {
    void loadRecoveries();
  }, [loadRecoveries]);

  const groups = useMemo(
    () => (report ? [...report.groups].sort((a, b) => b.responses - a.responses).slice(0, 8) : []),
    [report],
  );
  const trendData = useMemo(() => {
    const byPeriod = new Map<string, Record<string, string | number | null>>();
    for (const group of groups) {
      for (const point of group.trend) {
        const row = byPeriod.get(point.period) ?? { period: point.period };
        row[groupName(group)] = point.value;
        byPeriod.set(point.period, row);
      }
    }
    return [...byPeriod.values()].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  }, [groups]);

  const header = [groupLabels[groupBy], "Responses", metricLabels[metric], "Positive", "Negative", "Change"];
  const tableRows = report
    ? report.groups.map((group) => [
        groupName(group),
        group.responses,
        group.value,
        group.positive,
        group.negative,
        group.change,
      ])
    : [];

  const open = recoveries.filter((recovery) => recovery.status === "open");
  const done = recoveries.filter((recovery) => recovery.status === "done");

  return (
    <AdminPageFrame
      title="Survey report"
      intro="Scores from answered surveys; the comments behind them; and the customers who gave a low score, until a lead records how the follow-up went."
      notice={notice}
      error={error}
      busy={loading}
    >
      <form className="filter-bar" onSubmit={(event) => event.preventDefault()}>
        <label>
          Metric{" "}
          <select value={metric} onChange={(event) => setMetric(event.target.value as SurveyMetric)}>
            {(Object.keys(metricLabels) as SurveyMetric[]).map((key) => (
              <option key={key} value={key}>
                {metricLabels[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by{" "}
          <select value={groupBy} onChange={(event) => setGroupBy(event.target.value as SurveyGroupBy)}>
            {(Object.keys(groupLabels) as SurveyGroupBy[]).map((key) => (
              <option key={key} value={key}>
                {groupLabels[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period{" "}
          <select value={period} onChange={(event) => setPeriod(event.target.value as ReportPeriod)}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label>
          Over the last{" "}
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={30}>30 days</option>
            <option value={90}>90 days</option>
            <option value={365}>year</option>
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={tableRows.length === 0}
          onClick={() => downloadText(`survey-${metric}-${groupBy}.csv`, toCsv(header, tableRows))}
        >
          Download CSV
        </button>
      </form>

      {report && (
        <section className="admin-card" aria-labelledby={`${ids}-scores`}>
          <h2 id={`${ids}-scores`}>
            {metricLabels[report.metric]}:{" "}
            <span data-testid="survey-overall">{formatMetric(report.metric, report.overall.value)}</span>
          </h2>
          <p className="muted">
            {report.overall.responses} responses · {report.overall.positive} positive ·{" "}
            {report.overall.negative} negative · {report.timezone}
          </p>
          {trendData.length > 0 && (
            <figure className="chart-figure" aria-labelledby={`${ids}-trend`}>
              <figcaption id={`${ids}-trend`}>Trend by {period}</figcaption>
              <div
                role="img"
                aria-label={`Trend chart of ${metricLabels[metric]} by ${period}. The table below has the figures per ${groupLabels[groupBy].toLowerCase()}.`}
              >
                <ResponsiveContainer width="100%" height={240}>
                  <LineChart data={trendData} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#dde3e9" />
                    <XAxis dataKey="period" tick={{ fontSize: 12 }} />
                    <YAxis
                      tick={{ fontSize: 12 }}
                      domain={metric === "csat" ? [0, 100] : metric === "nps" ? [-100, 100] : [1, 7]}
                    />
                    <Tooltip formatter={(value) => formatMetric(metric, Number(value))} />
                    <Legend />
                    {groups.map((group, index) => (
                      <Line
                        key={group.key ?? "none"}
                        type="linear"
                        dataKey={groupName(group)}
                        stroke={lineColors[index % lineColors.length]}
                        connectNulls
                        isAnimationActive={false}
                      />
                    ))}
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </figure>
          )}
          <table className="data-table">
            <caption className="visually-hidden">
              {metricLabels[metric]} by {groupLabels[groupBy].toLowerCase()}
            </caption>
            <thead>
              <tr>
                <th scope="col">{groupLabels[groupBy]}</th>
                <th scope="col" className="num">
                  Responses
                </th>
                <th scope="col" className="num">
                  {metric.toUpperCase()}
                </th>
                <th scope="col" className="num">
                  Positive
                </th>
                <th scope="col" className="num">
                  Negative
                </th>
                <th scope="col" className="num">
                  Change since last {period}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.groups.map((group) => (
                <tr key={group.key ?? "none"}>
                  <th scope="row">{groupName(group)}</th>
                  <td className="num">{group.responses}</td>
                  <td className="num">{formatMetric(metric, group.value)}</td>
                  <td className="num">{group.positive}</td>
                  <td className="num">{group.negative}</td>
                  <td className="num">
                    {group.change === null ? "–" : `${group.change > 0 ? "+" : ""}${group.change}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className="admin-card" aria-labelledby={`${ids}-recoveries`}>
        <h2 id={`${ids}-recoveries`}>Recoveries ({open.length} open)</h2>
        {open.length === 0 && <p className="empty">No low scores waiting for a follow-up.</p>}
        <ul className="plain-list">
          {open.map((recovery) => (
            <RecoveryRow
              key={recovery.id}
              recovery={recovery}
              onRecorded={(recorded) => {
                setNotice(
                  `Recorded “${recorded.outcome ? outcomeLabels[recorded.outcome] : "done"}” for ${recorded.customer.name ?? "the customer"}.`,
                );
                void loadRecoveries();
              }}
            />
          ))}
        </ul>
        {done.length > 0 && (
          <>
            <h3>Recently recorded</h3>
            <ul className="plain-list" data-testid="recoveries-done">
              {done.map((recovery) => (
                <RecoveryRow key={recovery.id} recovery={recovery} onRecorded={() => undefined} />
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="admin-card" aria-labelledby={`${ids}-comments`}>
        <h2 id={`${ids}-comments`}>Recent comments</h2>
        {comments.length === 0 && <p className="empty">No comments yet.</p>}
        <ul className="plain-list">
          {comments.map((item) => (
            <li key={item.id}>
              <blockquote className="comment">“{item.comment}”</blockquote>
              <p className="muted">
                {item.metric?.toUpperCase()} {item.score ?? "–"} · {item.customer.name ?? "Customer"}
                {item.agent && ` · ${item.agent.name}`}
                {item.team && ` · ${item.team.name}`}
                {item.ticketChannel && ` · ${item.ticketChannel}`} · {formatDateTime(item.respondedAt)}
                {item.ticketId && (
                  <>
                    {" · "}
                    <a href={`/inbox/all/tickets/${item.ticketId}`}>ticket #{item.ticketId}</a>
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </AdminPageFrame>
  );
}
