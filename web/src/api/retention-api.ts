import { query, request } from "./api-client.ts";
import type {
  CustomerRisk,
  RetentionCohorts,
  RetentionLtv,
  RetentionPeriod,
  RetentionPurchases,
  RetentionRates,
  RetentionRfm,
  RetentionSummary,
  RfmSegment,
  RiskBand,
  RiskList,
  RiskModelInfo,
  ServiceImpact,
} from "./api-types.ts";

/** The retention dashboard's reads (lead and admin): measures, churn risk, service impact. */
export const retentionApi = {
  summary: () => request<RetentionSummary>("GET", "/api/v1/retention/summary"),
  rates: (period: RetentionPeriod) =>
    request<RetentionRates>("GET", `/api/v1/retention/rates${query({ period })}`),
  cohorts: () => request<RetentionCohorts>("GET", "/api/v1/retention/cohorts"),
  rfm: () => request<RetentionRfm>("GET", "/api/v1/retention/rfm"),
  rfmSegment: (segment: RfmSegment) =>
    request<RetentionRfm>("GET", `/api/v1/retention/rfm${query({ segment })}`),
  ltv: () => request<RetentionLtv>("GET", "/api/v1/retention/ltv"),
  purchases: () => request<RetentionPurchases>("GET", "/api/v1/retention/purchases"),
  riskList: (params: { band?: RiskBand; limit?: number; offset?: number }) =>
    request<RiskList>("GET", `/api/v1/retention/risk${query(params)}`),
  riskModel: () => request<RiskModelInfo>("GET", "/api/v1/retention/risk/model"),
  customerRisk: (customerId: number) => request<CustomerRisk>("GET", `/api/v1/customers/${customerId}/risk`),
  serviceImpact: () => request<ServiceImpact>("GET", "/api/v1/retention/service-impact"),
};

/** The address of an API answer as a CSV file (`?format=csv`), for a plain download link (the session cookie goes along). */
export function csvDownloadUrl(
  path: string,
  params: Record<string, string | number | undefined | null> = {},
): string {
  return `${path}${query({ ...params, format: "csv" })}`;
}
