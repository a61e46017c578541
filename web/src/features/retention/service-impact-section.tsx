import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ServiceExperience, ServiceImpact } from "../../api/api-types.ts";
import { csvDownloadUrl } from "../../api/retention-api.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { forestScale } from "../../lib/forest-scale.ts";
import { formatMoney } from "../../lib/format.ts";
import { formatShare } from "../../lib/heat-scale.ts";
import { mergeSurvivalCurves } from "../../lib/retention-shaping.ts";
import type { Loadable } from "../../lib/use-load.ts";
import { DefinitionList, majorUnits, nextSteps, Section } from "./retention-ui.tsx";

const conclusionLabels: Record<ServiceExperience["conclusion"], string> = {
  harmful: "Linked to more churn",
  no_evidence: "No evidence of an effect",
  protective: "Linked to less churn",
  too_thin: "Too thin to conclude",
};

const moneyInterval = (interval: { value: number; lower: number; upper: number } | null, currency: string) =>
  interval === null
    ? "–"
    : `${formatMoney(Math.round(interval.value), currency)} (${formatMoney(Math.round(interval.lower), currency)}–${formatMoney(Math.round(interval.upper), currency)})`;

const ratio = (value: number | null | undefined) =>
  value === null || value === undefined ? "–" : value.toFixed(2);
const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3);

/** How service experiences (slow replies, reopened tickets, ...) relate to customers lapsing. */
export function ServiceImpactSection({
  state,
  onRetry,
}: {
  state: Loadable<ServiceImpact>;
  onRetry: () => void;
}) {
  return (
    <Section
      id="service"
      title="Service and churn"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.customers === 0 ? nextSteps.noOrders : null)}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => {
        const currency = data.currency ?? "USD";
        const columns: Column<ServiceExperience>[] = [
          { label: "Experience", render: (e) => e.label, csv: (e) => e.label },
          {
            label: "Customers with it",
            numeric: true,
            render: (e) =>
              `${e.exposed.customers.toLocaleString()} (${e.exposed.churned.toLocaleString()} stopped)`,
            csv: (e) => e.exposed.customers,
          },
          {
            label: "Without",
            numeric: true,
            render: (e) =>
              `${e.unexposed.customers.toLocaleString()} (${e.unexposed.churned.toLocaleString()} stopped)`,
            csv: (e) => e.unexposed.customers,
          },
          {
            label: "Hazard ratio",
            numeric: true,
            render: (e) => ratio(e.hazardRatio?.value),
            csv: (e) => e.hazardRatio?.value,
          },
          {
            label: "95% interval",
            numeric: true,
            render: (e) =>
              e.hazardRatio ? `${ratio(e.hazardRatio.lower)}–${ratio(e.hazardRatio.upper)}` : "–",
            csv: (e) => (e.hazardRatio ? `${e.hazardRatio.lower}-${e.hazardRatio.upper}` : null),
          },
          {
            label: "p",
            numeric: true,
            render: (e) => pValue(e.hazardRatio?.p ?? e.logRank?.p),
            csv: (e) => e.hazardRatio?.p ?? e.logRank?.p,
          },
          {
            label: "Value lost per contact (95%)",
            numeric: true,
            render: (e) => moneyInterval(e.valueLostPerEventMinor, currency),
            csv: (e) =>
              e.valueLostPerEventMinor === null ? null : majorUnits(e.valueLostPerEventMinor.value, currency),
          },
          {
            label: "Conclusion",
            render: (e) => (
              <span className={`badge impact-${e.conclusion}`}>{conclusionLabels[e.conclusion]}</span>
            ),
            csv: (e) => e.conclusion,
          },
        ];
        return (
          <>
            <p className="verdict" data-testid="service-verdict">
              {data.summary}
            </p>
            <p className="muted small">
              From {data.customers.toLocaleString()} customers at their first support contact while still
              buying ({data.contacts.toLocaleString()} contacts); stopping buying = {data.lapseDays} days
              without an order.
            </p>
            <ForestPlot experiences={data.experiences} />
            <DataTable
              title="Service experiences and churn"
              columns={columns}
              rows={data.experiences}
              rowKey={(e) => e.key}
              csvHref={csvDownloadUrl("/api/v1/retention/service-impact")}
            />
            <div className="experience-grid">
              {data.experiences.map((experience) => (
                <ExperienceCard key={experience.key} experience={experience} currency={currency} />
              ))}
            </div>
          </>
        );
      }}
    </Section>
  );
}

/** Hazard ratios with their 95% intervals on a log scale; 1 = no effect. Drawn in SVG (the table has the numbers). */
function ForestPlot({ experiences }: { experiences: readonly ServiceExperience[] }) {
  const rows = experiences.filter((e) => e.hazardRatio);
  if (rows.length === 0) return null;
  const labelWidth = 220;
  const plotWidth = 440;
  const rowHeight = 28;
  const top = 8;
  const height = top + rows.length * rowHeight + 28;
  const scale = forestScale(
    rows.map((e) => ({ lower: e.hazardRatio?.lower ?? 1, upper: e.hazardRatio?.upper ?? 1 })),
    plotWidth,
  );
  const x = (v: number) => labelWidth + scale.x(v);
  const summary = rows
    .map(
      (e) =>
        `${e.label}: hazard ratio ${ratio(e.hazardRatio?.value)} (${ratio(e.hazardRatio?.lower)} to ${ratio(e.hazardRatio?.upper)})`,
    )
    .join("; ");
  return (
    <figure className="chart forest">
      <svg
        viewBox={`0 0 ${labelWidth + plotWidth + 20} ${height}`}
        width="100%"
        style={{ maxWidth: labelWidth + plotWidth + 20 }}
        role="img"
        aria-label={`Forest plot of hazard ratios. ${summary}`}
      >
        <line x1={x(1)} x2={x(1)} y1={top - 4} y2={height - 24} stroke="#8a94a0" strokeDasharray="4 3" />
        {scale.ticks.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={height - 24} y2={height - 20} stroke="#8a94a0" />
            <text x={x(tick)} y={height - 8} textAnchor="middle" fontSize="11" fill="#5b6876">
              {tick}
            </text>
          </g>
        ))}
        {rows.map((e, index) => {
          const hr = e.hazardRatio;
          if (!hr) return null;
          const y = top + index * rowHeight + rowHeight / 2;
          const colour =
            e.conclusion === "harmful" ? "#b3261e" : e.conclusion === "protective" ? "#1e7a46" : "#5b6876";
          return (
            <g key={e.key}>
              <text x={labelWidth - 8} y={y + 4} textAnchor="end" fontSize="12" fill="#1d2733">
                {e.label}
              </text>
              <line x1={x(hr.lower)} x2={x(hr.upper)} y1={y} y2={y} stroke={colour} strokeWidth={2} />
              <rect x={x(hr.value) - 5} y={y - 5} width={10} height={10} fill={colour} />
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        Hazard ratio of lapsing with the experience against without (95% interval). Right of the dashed line
        (1): more churn.
      </figcaption>
    </figure>
  );
}

function ExperienceCard({ experience, currency }: { experience: ServiceExperience; currency: string }) {
  const rows = mergeSurvivalCurves(experience.curves.exposed, experience.curves.unexposed);
  return (
    <article className="experience-card" aria-label={experience.label}>
      <h3>{experience.label}</h3>
      <p className={`badge impact-${experience.conclusion}`}>{conclusionLabels[experience.conclusion]}</p>
      <p className={experience.conclusion === "too_thin" ? "section-empty" : undefined}>
        {experience.message}
      </p>
      {experience.valueLostPerEventMinor !== null && (
        <p>
          Value lost per contact like this:{" "}
          <strong>{moneyInterval(experience.valueLostPerEventMinor, currency)}</strong>
        </p>
      )}
      {rows.length > 1 && (
        <figure
          className="chart"
          aria-label={`Share of customers still buying over time, with and without ${experience.label.toLowerCase()}`}
        >
          <ResponsiveContainer width="100%" height={200}>
            <ComposedChart data={rows} margin={{ top: 4, right: 8, bottom: 16, left: 0 }}>
              <CartesianGrid stroke="#e6eaee" />
              <XAxis
                dataKey="t"
                type="number"
                domain={[0, "dataMax"]}
                label={{ value: "Days", position: "insideBottom", offset: -8 }}
              />
              <YAxis domain={[0, 1]} tickFormatter={(v: number) => formatShare(v, 0)} width={48} />
              <Tooltip
                formatter={(value) => (typeof value === "number" ? formatShare(value) : null)}
                labelFormatter={(t) => `Day ${t}`}
              />
              <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 4 }} />
              <Area
                dataKey="unexposedBand"
                type="stepAfter"
                stroke="none"
                fill="#1f5fa8"
                fillOpacity={0.12}
                legendType="none"
                tooltipType="none"
                isAnimationActive={false}
                connectNulls={false}
              />
              <Area
                dataKey="exposedBand"
                type="stepAfter"
                stroke="none"
                fill="#c2571a"
                fillOpacity={0.15}
                legendType="none"
                tooltipType="none"
                isAnimationActive={false}
                connectNulls={false}
              />
              <Line
                dataKey="unexposed"
                name={`${experience.unexposedLabel} (${experience.unexposed.customers})`}
                type="stepAfter"
                stroke="#1f5fa8"
                dot={false}
                isAnimationActive={false}
              />
              <Line
                dataKey="exposed"
                name={`${experience.exposedLabel} (${experience.exposed.customers})`}
                type="stepAfter"
                stroke="#c2571a"
                strokeDasharray="5 3"
                dot={false}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      )}
    </article>
  );
}
