import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RetentionRfm, RfmCustomer, RfmSegmentSummary } from "../../api/api-types.ts";
import { csvDownloadUrl, retentionApi } from "../../api/retention-api.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { formatMoney } from "../../lib/format.ts";
import { type Loadable, useLoad } from "../../lib/use-load.ts";
import { DefinitionList, describeLoadError, majorUnits, nextSteps, Section } from "./retention-ui.tsx";

/** RFM segments with customers and revenue; choosing a segment lists its customers. */
export function RfmSection({ state, onRetry }: { state: Loadable<RetentionRfm>; onRetry: () => void }) {
  const [selected, setSelected] = useState<RfmSegmentSummary | null>(null);
  return (
    <Section
      id="rfm"
      title="RFM segments"
      state={state}
      onRetry={onRetry}
      wide
      empty={(data) => (data.segments.length === 0 ? nextSteps.noOrders : null)}
      definitions={(data) => <DefinitionList definitions={data.definitions} />}
    >
      {(data) => {
        const currency = data.scope.currency ?? "USD";
        const columns: Column<RfmSegmentSummary>[] = [
          {
            label: "Segment",
            render: (segment) => (
              <button
                type="button"
                className="link-button"
                aria-pressed={selected?.segment === segment.segment}
                onClick={() => setSelected(segment)}
              >
                {segment.label}
              </button>
            ),
            csv: (segment) => segment.label,
          },
          {
            label: "Meaning",
            render: (s) => <span className="muted small">{s.meaning}</span>,
            csv: (s) => s.meaning,
          },
          {
            label: "Customers",
            numeric: true,
            render: (s) => s.customers.toLocaleString(),
            csv: (s) => s.customers,
          },
          {
            label: "Revenue",
            numeric: true,
            render: (s) => formatMoney(s.revenueMinor, currency),
            csv: (s) => majorUnits(s.revenueMinor, currency),
          },
        ];
        return (
          <div className="two-up">
            <div>
              <figure
                className="chart"
                aria-label="Customers per RFM segment; choose a bar to list its customers"
              >
                <ResponsiveContainer width="100%" height={Math.max(160, data.segments.length * 28 + 24)}>
                  <BarChart
                    data={data.segments}
                    layout="vertical"
                    margin={{ top: 4, right: 16, bottom: 4, left: 8 }}
                  >
                    <CartesianGrid stroke="#e6eaee" horizontal={false} />
                    <XAxis type="number" allowDecimals={false} />
                    <YAxis type="category" dataKey="label" width={140} tick={{ fontSize: 12 }} />
                    <Tooltip
                      formatter={(value, _name, item) => {
                        const segment = item.payload as RfmSegmentSummary;
                        return [
                          `${value} customers, ${formatMoney(segment.revenueMinor, currency)}`,
                          "Segment",
                        ];
                      }}
                    />
                    <Bar
                      dataKey="customers"
                      name="Customers"
                      isAnimationActive={false}
                      onClick={(entry) => {
                        const segment = data.segments.find(
                          (s) => s.label === (entry as { label?: string }).label,
                        );
                        if (segment) setSelected(segment);
                      }}
                      cursor="pointer"
                    >
                      {data.segments.map((segment) => (
                        <Cell
                          key={segment.segment}
                          fill={selected?.segment === segment.segment ? "#1f5fa8" : "#2f6f5e"}
                        />
                      ))}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </figure>
              <DataTable
                title="RFM segments"
                columns={columns}
                rows={data.segments}
                rowKey={(segment) => segment.segment}
                csvHref={csvDownloadUrl("/api/v1/retention/rfm")}
              />
            </div>
            <div>
              {selected ? (
                <SegmentCustomers segment={selected} currency={currency} />
              ) : (
                <p className="section-empty">
                  Choose a segment (in the chart or the table) to list its customers.
                </p>
              )}
            </div>
          </div>
        );
      }}
    </Section>
  );
}

function SegmentCustomers({ segment, currency }: { segment: RfmSegmentSummary; currency: string }) {
  const [state, reload] = useLoad(() => retentionApi.rfmSegment(segment.segment), segment.segment);
  const columns: Column<RfmCustomer>[] = [
    {
      label: "Customer",
      render: (row) => <CustomerLink customer={{ id: row.customerId, name: row.name, email: row.email }} />,
      csv: (row) => row.name ?? row.email ?? `#${row.customerId}`,
    },
    { label: "Email", render: (row) => row.email ?? "–", csv: (row) => row.email },
    {
      label: "Days since last order",
      numeric: true,
      render: (row) => row.recencyDays,
      csv: (row) => row.recencyDays,
    },
    { label: "Purchase days", numeric: true, render: (row) => row.frequency, csv: (row) => row.frequency },
    {
      label: "R F M",
      numeric: true,
      render: (row) => `${row.r} ${row.f} ${row.m}`,
      csv: (row) => `${row.r}${row.f}${row.m}`,
    },
    {
      label: "Spent",
      numeric: true,
      render: (row) => formatMoney(row.monetaryMinor, currency),
      csv: (row) => majorUnits(row.monetaryMinor, currency),
    },
  ];
  if (state.status === "loading") return <p className="muted">Loading the customers in {segment.label}…</p>;
  if (state.status === "error")
    return (
      <div className="section-problem" role="alert">
        <p>{describeLoadError(state.error)}</p>
        <button type="button" className="button" onClick={reload}>
          Try again
        </button>
      </div>
    );
  const items = state.data.customers ?? [];
  const total = state.data.segmentCustomers ?? items.length;
  return (
    <DataTable
      title={`Customers in ${segment.label}`}
      captionExtra={
        <span className="muted small" data-testid="rfm-segment-count">
          {items.length < total
            ? `first ${items.length} of ${total.toLocaleString()}`
            : `${total.toLocaleString()}`}
        </span>
      }
      columns={columns}
      rows={items}
      rowKey={(row) => row.customerId}
      csvHref={csvDownloadUrl("/api/v1/retention/rfm", { segment: segment.segment })}
      maxHeight={360}
    />
  );
}

/** A customer's name linking to their tickets in the inbox (a search for their email). */
export function CustomerLink({
  customer,
}: {
  customer: { id: number; name: string | null; email: string | null };
}) {
  const label = customer.name ?? customer.email ?? `Customer #${customer.id}`;
  if (!customer.email) return <span>{label}</span>;
  return (
    <a
      className="nowrap"
      href={`/inbox/all?q=${encodeURIComponent(customer.email)}`}
      title={`Tickets of ${label}`}
    >
      {label}
    </a>
  );
}
