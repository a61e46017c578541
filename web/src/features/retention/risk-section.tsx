import { useEffect, useState } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CalibrationBin, RiskBand, RiskListItem, RiskModelInfo } from "../../api/api-types.ts";
import { csvDownloadUrl, retentionApi } from "../../api/retention-api.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { formatMoney } from "../../lib/format.ts";
import { formatShare } from "../../lib/heat-scale.ts";
import { type Loadable, useLoad } from "../../lib/use-load.ts";
import {
  compactMoney,
  Definition,
  DefinitionList,
  describeLoadError,
  majorUnits,
  nextSteps,
  Section,
} from "./retention-ui.tsx";
import { CustomerLink } from "./rfm-section.tsx";

const pageSize = 25;
const bandLabels: Record<RiskBand, string> = { high: "High", medium: "Medium", low: "Low" };

type RiskPage = { items: RiskListItem[]; total: number };

const money = (amountMinor: number | null, currency: string | null) =>
  amountMinor === null || currency === null ? "–" : formatMoney(amountMinor, currency);

const riskColumns = (onTrend: (row: RiskListItem) => void): Column<RiskListItem>[] => [
  {
    label: "Customer",
    render: (row) => <CustomerLink customer={row.customer} />,
    csv: (row) => row.customer.name ?? row.customer.email ?? `#${row.customer.id}`,
  },
  { label: "Email", render: (row) => row.customer.email ?? "–", csv: (row) => row.customer.email },
  {
    label: "Risk",
    numeric: true,
    render: (row) => (
      <button
        type="button"
        className="link-button"
        title="Show how this customer's risk changed"
        onClick={() => onTrend(row)}
      >
        {Math.round(row.score)}
        <span className="visually-hidden">
          {" "}
          — show the trend for {row.customer.name ?? row.customer.email}
        </span>
      </button>
    ),
    csv: (row) => row.score,
  },
  {
    label: "Band",
    render: (row) => <span className={`badge risk-${row.band}`}>{bandLabels[row.band]}</span>,
    csv: (row) => row.band,
  },
  {
    label: "Value at risk",
    numeric: true,
    render: (row) => <strong>{money(row.valueAtRiskMinor, row.currency)}</strong>,
    csv: (row) =>
      row.valueAtRiskMinor === null || !row.currency ? null : majorUnits(row.valueAtRiskMinor, row.currency),
  },
  {
    label: "12-month value",
    numeric: true,
    render: (row) => money(row.predictedValueMinor, row.currency),
    csv: (row) =>
      row.predictedValueMinor === null || !row.currency
        ? null
        : majorUnits(row.predictedValueMinor, row.currency),
  },
  { label: "Currency", render: (row) => row.currency ?? "–", csv: (row) => row.currency },
  { label: "P(alive)", numeric: true, render: (row) => formatShare(row.pAlive, 0), csv: (row) => row.pAlive },
  {
    label: "Why",
    render: (row) => (row.reasons.length > 0 ? row.reasons.map((reason) => reason.text).join("; ") : "–"),
    csv: (row) => row.reasons.map((reason) => reason.text).join("; "),
  },
];

/** Customers at risk, largest value at risk first, filtered by band, with the reasons and a link to their tickets. */
export function RiskListSection() {
  const [band, setBand] = useState<RiskBand | "">("");
  const [trendOf, setTrendOf] = useState<RiskListItem | null>(null);
  const [state, setState] = useState<Loadable<RiskPage>>({ status: "loading" });
  const [loadingMore, setLoadingMore] = useState(false);
  const [nonce, setNonce] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the retry
  useEffect(() => {
    let cancelled = false;
    setState({ status: "loading" });
    retentionApi
      .riskList({ band: band || undefined, limit: pageSize, offset: 0 })
      .then((data) => !cancelled && setState({ status: "ready", data }))
      .catch((error: unknown) => !cancelled && setState({ status: "error", error }));
    return () => {
      cancelled = true;
    };
  }, [band, nonce]);

  const loadMore = async () => {
    if (state.status !== "ready") return;
    setLoadingMore(true);
    try {
      const next = await retentionApi.riskList({
        band: band || undefined,
        limit: pageSize,
        offset: state.data.items.length,
      });
      setState({ status: "ready", data: { items: [...state.data.items, ...next.items], total: next.total } });
    } catch (error) {
      setState({ status: "error", error });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Section
      id="risk"
      title="Customers at risk"
      state={state}
      onRetry={() => setNonce((n) => n + 1)}
      wide
      empty={(data) =>
        data.total === 0 ? (band ? `No customers in the ${band} band right now.` : nextSteps.noScores) : null
      }
      actions={
        <label className="inline-field">
          Band{" "}
          <select value={band} onChange={(event) => setBand(event.target.value as RiskBand | "")}>
            <option value="">All bands</option>
            <option value="high">High</option>
            <option value="medium">Medium</option>
            <option value="low">Low</option>
          </select>
        </label>
      }
    >
      {(data) => (
        <>
          <DataTable
            title="Customers at risk"
            captionExtra={
              <span className="muted small" data-testid="risk-count">
                {data.items.length} of {data.total.toLocaleString()}, largest value at risk first
              </span>
            }
            columns={riskColumns(setTrendOf)}
            rows={data.items}
            rowKey={(row) => row.customer.id}
            csvHref={csvDownloadUrl("/api/v1/retention/risk", { band: band || undefined })}
            maxHeight={420}
          />
          <p className="muted small">
            Value at risk = predicted 12-month value × risk score. Names open the customer's tickets; a score
            shows its trend.
          </p>
          {trendOf && <RiskTrend item={trendOf} onClose={() => setTrendOf(null)} />}
          {data.items.length < data.total && (
            <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
              {loadingMore ? "Loading…" : `Show ${Math.min(pageSize, data.total - data.items.length)} more`}
            </button>
          )}
        </>
      )}
    </Section>
  );
}

const fixed = (value: number | null, digits: number) => (value === null ? "–" : value.toFixed(digits));

/** How good the risk model is: AUC and Brier against the purchase model alone, and a calibration plot. */
export function ModelQualitySection({
  state,
  onRetry,
  currency,
}: {
  state: Loadable<RiskModelInfo>;
  onRetry: () => void;
  /** The shop's main currency (the model's answer has amounts only). */
  currency: string | null;
}) {
  return (
    <Section
      id="model"
      title="Risk model quality"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.model === null ? nextSteps.noScores : null)}
    >
      {(data) => {
        const model = data.model;
        if (!model) return null;
        const backtest = model.backtest;
        const calibrationColumns: Column<CalibrationBin>[] = [
          {
            label: "Scores",
            render: (b) => `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}`,
            csv: (b) => `${b.from}-${b.to}`,
          },
          {
            label: "Predicted churn",
            numeric: true,
            render: (b) => formatShare(b.predicted),
            csv: (b) => b.predicted,
          },
          {
            label: "Observed churn",
            numeric: true,
            render: (b) => formatShare(b.observed),
            csv: (b) => b.observed,
          },
          { label: "Customers", numeric: true, render: (b) => b.count.toLocaleString(), csv: (b) => b.count },
        ];
        type Metric = {
          name: string;
          model: number | null;
          baseline: number | null;
          better: string;
          help: string;
        };
        const metrics: Metric[] = backtest
          ? [
              {
                name: "AUC",
                model: backtest.auc,
                baseline: backtest.baseline.auc,
                better: "higher is better",
                help: "How often the model ranks a customer who churned above one who stayed: 0.5 is a coin toss, 1 is perfect.",
              },
              {
                name: "Brier score",
                model: backtest.brier,
                baseline: backtest.baseline.brier,
                better: "lower is better",
                help: "The mean squared gap between the predicted churn probability and what happened (0 or 1).",
              },
            ]
          : [];
        const metricColumns: Column<Metric>[] = [
          {
            label: "Measure",
            render: (m) => (
              <>
                {m.name} <Definition term={m.name} text={m.help} />
              </>
            ),
            csv: (m) => m.name,
          },
          {
            label: "Risk model",
            numeric: true,
            render: (m) => <strong>{fixed(m.model, 3)}</strong>,
            csv: (m) => m.model,
          },
          {
            label: "Purchase model alone",
            numeric: true,
            render: (m) => fixed(m.baseline, 3),
            csv: (m) => m.baseline,
          },
          { label: "", render: (m) => <span className="muted small">{m.better}</span> },
        ];
        return (
          <>
            <p className="muted small">
              Scored {new Date(model.trainedAt).toLocaleString()}: {model.customers.toLocaleString()} active
              customers. Backtest: trained on what was known on {backtest.trainedAsOf}, then{" "}
              {backtest.testCustomers.toLocaleString()} customers scored as of {backtest.cutoff} and followed
              for {backtest.horizonDays} days ({formatShare(backtest.churnRate)} stopped buying).
            </p>
            <BandSummary data={data} currency={currency} />
            {backtest ? (
              <div className="two-up">
                <div className="stack">
                  <DataTable title="Backtest" columns={metricColumns} rows={metrics} rowKey={(m) => m.name} />
                  <DataTable
                    title="Calibration"
                    columns={calibrationColumns}
                    rows={backtest.calibration}
                    rowKey={(b) => b.predicted}
                    maxHeight={220}
                  />
                </div>
                <figure
                  className="chart"
                  aria-label="Calibration: predicted against observed churn, with the diagonal of perfect calibration"
                >
                  <ResponsiveContainer width="100%" height={300}>
                    <ComposedChart
                      data={backtest.calibration}
                      margin={{ top: 8, right: 16, bottom: 16, left: 0 }}
                    >
                      <CartesianGrid stroke="#e6eaee" />
                      <XAxis
                        dataKey="predicted"
                        type="number"
                        domain={[0, 1]}
                        tickFormatter={(v: number) => formatShare(v, 0)}
                        label={{ value: "Predicted churn", position: "insideBottom", offset: -8 }}
                      />
                      <YAxis
                        dataKey="observed"
                        type="number"
                        domain={[0, 1]}
                        tickFormatter={(v: number) => formatShare(v, 0)}
                        width={48}
                      />
                      <ReferenceLine
                        segment={[
                          { x: 0, y: 0 },
                          { x: 1, y: 1 },
                        ]}
                        stroke="#8a94a0"
                        strokeDasharray="4 4"
                        ifOverflow="extendDomain"
                      />
                      <Tooltip
                        formatter={(value) => formatShare(typeof value === "number" ? value : null)}
                        labelFormatter={(value) => `Predicted ${formatShare(Number(value))}`}
                      />
                      <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
                      <Line
                        dataKey="observed"
                        name="Observed"
                        stroke="#c2571a"
                        dot={false}
                        isAnimationActive={false}
                        legendType="none"
                      />
                      <Scatter
                        dataKey="observed"
                        name="Observed churn per bin"
                        fill="#c2571a"
                        isAnimationActive={false}
                      />
                    </ComposedChart>
                  </ResponsiveContainer>
                  <figcaption className="muted small">
                    Dashed diagonal: perfect calibration. Points above it: more churn than predicted.
                  </figcaption>
                </figure>
              </div>
            ) : (
              <p className="section-empty">
                Too little history for a backtest yet: it needs customers whose outcome is known.
              </p>
            )}
            <DefinitionList definitions={data.definitions} />
          </>
        );
      }}
    </Section>
  );
}

/** Customers and value at risk per band, as scored now. */
function BandSummary({ data, currency }: { data: RiskModelInfo; currency: string | null }) {
  const bands: RiskBand[] = ["high", "medium", "low"];
  return (
    <dl className="band-summary">
      {bands.map((band) => (
        <div key={band} className={`band-card risk-${band}`}>
          <dt>{bandLabels[band]} risk</dt>
          <dd>
            {data.bands[band].toLocaleString()} customers
            <span className="muted small">
              {" "}
              · value at risk{" "}
              {currency ? compactMoney(data.valueAtRiskMinor[band], currency) : data.valueAtRiskMinor[band]}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** One customer's score over time (GET /customers/{id}/risk), under the list. */
function RiskTrend({ item, onClose }: { item: RiskListItem; onClose: () => void }) {
  const [state, reload] = useLoad(
    () => retentionApi.customerRisk(item.customer.id),
    String(item.customer.id),
  );
  const name = item.customer.name ?? item.customer.email ?? `Customer #${item.customer.id}`;
  return (
    <section className="risk-trend" aria-label={`Risk trend of ${name}`}>
      <div className="dash-section-head">
        <h3>Risk over time: {name}</h3>
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      </div>
      {state.status === "loading" && <p className="muted">Loading…</p>}
      {state.status === "error" && (
        <div className="section-problem" role="alert">
          <p>{describeLoadError(state.error)}</p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {state.status === "ready" &&
        (state.data.history.length < 2 ? (
          <p className="muted">
            Scored once so far ({Math.round(item.score)}); the trend appears after the next scoring.
          </p>
        ) : (
          <figure className="chart" aria-label={`Risk score of ${name} at each scoring`}>
            <ResponsiveContainer width="100%" height={160}>
              <LineChart
                data={state.data.history.map((point) => ({ ...point, day: point.scoredAt.slice(0, 10) }))}
                margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
              >
                <CartesianGrid stroke="#e6eaee" />
                <XAxis dataKey="day" tick={{ fontSize: 11 }} />
                <YAxis domain={[0, 100]} width={36} />
                <ReferenceLine y={60} stroke="#b3261e" strokeDasharray="3 3" />
                <ReferenceLine y={30} stroke="#6b5200" strokeDasharray="3 3" />
                <Tooltip />
                <Line dataKey="score" name="Risk" stroke="#c2571a" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
            <figcaption className="muted small">Dashed lines: medium (30) and high (60) bands.</figcaption>
          </figure>
        ))}
    </section>
  );
}
