import { DateTime } from "luxon";
import type { ServiceContext } from "../../context.ts";
import { validationFailed } from "../../errors.ts";
import { getWorkspaceTimezone } from "../workspace/workspace.service.ts";
import { addTallies, emptyTally, metricValue, type ScoreTally, type SurveyMetric } from "./survey-metrics.ts";
import {
  type ReportGroup,
  type ResponseListFilter,
  selectReportTallies,
  selectResponses,
} from "./surveys.repo.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;
type Period = "day" | "week" | "month";

const defaultRangeDays = 90;
const maxPeriods = 400;

export type TallyWithValue = ScoreTally & { value: number | null };
export type SurveyReport = {
  metric: SurveyMetric;
  groupBy: ReportGroup;
  period: Period;
  timezone: string;
  from: Date;
  to: Date;
  overall: TallyWithValue;
  groups: {
    key: string | null;
    label: string | null;
    tally: TallyWithValue;
    trend: { period: string; tally: TallyWithValue }[];
    /** Last period with responses minus the one before it with responses; null with fewer than two. */
    change: number | null;
  }[];
};

/** Every period start (local date YYYY-MM-DD) from `from` to `to`, as PostgreSQL's date_trunc names them. */
export function periodKeys(from: Date, to: Date, period: Period, timezone: string): string[] {
  const keys: string[] = [];
  let cursor = DateTime.fromJSDate(from, { zone: timezone }).startOf(period);
  const end = DateTime.fromJSDate(to, { zone: timezone });
  while (cursor < end && keys.length < maxPeriods) {
    keys.push(cursor.toFormat("yyyy-LL-dd"));
    cursor = cursor.plus({ [`${period}s`]: 1 });
  }
  return keys;
}

const withValue = (metric: SurveyMetric, tally: ScoreTally): TallyWithValue => ({
  ...tally,
  value: metricValue(metric, tally),
});

/**
 * CSAT, NPS or CES in [from, to) (default: the last 90 days to the end of this period), by agent, team or channel of the ticket (or overall),
 * with the value per period in the workspace's time zone and the change between the last two periods with answers.
 */
export async function getSurveyReport(
  ctx: Ctx,
  options: { metric: SurveyMetric; groupBy: ReportGroup; period: Period; from?: Date; to?: Date },
): Promise<SurveyReport> {
  const timezone = await getWorkspaceTimezone(ctx);
  // By default up to the end of the current period, so today's answers count and the last point is whole.
  const to =
    options.to ??
    DateTime.fromJSDate(ctx.clock.now(), { zone: timezone })
      .startOf(options.period)
      .plus({ [`${options.period}s`]: 1 })
      .toJSDate();
  const from = options.from ?? new Date(ctx.clock.now().getTime() - defaultRangeDays * 86_400_000);
  if (from >= to) throw validationFailed("from must be before to", { path: "querystring.from" });
  const keys = periodKeys(from, to, options.period, timezone);
  if (keys.length >= maxPeriods) {
    throw validationFailed(`At most ${maxPeriods} periods; choose a longer period or a shorter range`);
  }
  const rows = await selectReportTallies(ctx.db, { ...options, from, to, timezone });
  const groups = new Map<
    string,
    { key: string | null; label: string | null; byPeriod: Map<string, ScoreTally> }
  >();
  let overall = emptyTally;
  for (const row of rows) {
    const id = row.groupKey ?? "";
    let group = groups.get(id);
    if (!group) {
      group = { key: row.groupKey, label: row.groupLabel, byPeriod: new Map() };
      groups.set(id, group);
    }
    const tally = { responses: row.responses, sum: row.sum, positive: row.positive, negative: row.negative };
    group.byPeriod.set(row.period, addTallies(group.byPeriod.get(row.period) ?? emptyTally, tally));
    overall = addTallies(overall, tally);
  }
  return {
    metric: options.metric,
    groupBy: options.groupBy,
    period: options.period,
    timezone,
    from,
    to,
    overall: withValue(options.metric, overall),
    groups: [...groups.values()].map((group) => {
      const trend = keys.map((period) => ({
        period,
        tally: withValue(options.metric, group.byPeriod.get(period) ?? emptyTally),
      }));
      const answered = trend.filter((point) => point.tally.value !== null);
      const last = answered[answered.length - 1]?.tally.value ?? null;
      const previous = answered[answered.length - 2]?.tally.value ?? null;
      const total = [...group.byPeriod.values()].reduce(addTallies, emptyTally);
      return {
        key: group.key,
        label: group.label,
        tally: withValue(options.metric, total),
        trend,
        change: last !== null && previous !== null ? Math.round((last - previous) * 10) / 10 : null,
      };
    }),
  };
}

/** Responses newest first, with their comments, filtered as a lead drills into a report. */
export async function listSurveyResponses(ctx: Pick<ServiceContext, "db">, filter: ResponseListFilter) {
  const rows = await selectResponses(ctx.db, filter);
  if (rows.length <= filter.limit) return { rows, next: null };
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { rows: page, next: { atMicros: last.cursorAtMicros, id: last.response.id } };
}
