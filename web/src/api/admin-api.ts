import { query, request } from "./api-client.ts";
import type {
  AgentStatus,
  Macro,
  MacroBody,
  MacroResult,
  MacroVariable,
  Recovery,
  RecoveryOutcome,
  ReportPeriod,
  RoutingMode,
  RoutingResult,
  Rule,
  RuleBody,
  SlaCalendar,
  SlaCalendarBody,
  SlaPolicy,
  SlaPolicyBody,
  SlaReport,
  SlaReportGroupBy,
  SurveyGroupBy,
  SurveyMetric,
  SurveyReport,
  SurveyResponseItem,
  SurveySettings,
  Team,
  TeamLoad,
  ThemeSource,
  ThemesReport,
} from "./api-types.ts";

/** The lead and admin screens' calls (routing, SLA, macros, rules, survey reports, themes); roles are checked by the API. */
export const adminApi = {
  teamLoads: () => request<{ items: TeamLoad[] }>("GET", "/api/v1/routing/teams"),
  teams: () => request<{ items: Team[] }>("GET", "/api/v1/teams"),
  setRoutingMode: (teamId: number, routingMode: RoutingMode) =>
    request<RoutingResult>("PUT", `/api/v1/routing/teams/${teamId}`, { routingMode }),
  setAgent: (userId: number, change: { status?: AgentStatus; capacity?: number }) =>
    request<RoutingResult>("PUT", `/api/v1/routing/agents/${userId}`, change),

  slaCalendars: () => request<{ items: SlaCalendar[] }>("GET", "/api/v1/sla/calendars"),
  createSlaCalendar: (body: SlaCalendarBody) => request<SlaCalendar>("POST", "/api/v1/sla/calendars", body),
  updateSlaCalendar: (id: number, body: SlaCalendarBody) =>
    request<SlaCalendar>("PUT", `/api/v1/sla/calendars/${id}`, body),
  deleteSlaCalendar: (id: number) => request<null>("DELETE", `/api/v1/sla/calendars/${id}`),
  slaPolicies: () => request<{ items: SlaPolicy[] }>("GET", "/api/v1/sla/policies"),
  createSlaPolicy: (body: SlaPolicyBody) => request<SlaPolicy>("POST", "/api/v1/sla/policies", body),
  updateSlaPolicy: (id: number, body: SlaPolicyBody) =>
    request<SlaPolicy>("PUT", `/api/v1/sla/policies/${id}`, body),
  deleteSlaPolicy: (id: number) => request<null>("DELETE", `/api/v1/sla/policies/${id}`),
  slaReport: (params: { from?: string; to?: string; groupBy: SlaReportGroupBy; period: ReportPeriod }) =>
    request<SlaReport>("GET", `/api/v1/sla/report${query(params)}`),

  macros: () => request<{ items: Macro[] }>("GET", "/api/v1/macros"),
  macroVariables: () => request<{ items: MacroVariable[] }>("GET", "/api/v1/macros/variables"),
  createMacro: (body: MacroBody) => request<Macro>("POST", "/api/v1/macros", body),
  updateMacro: (id: number, body: MacroBody) => request<Macro>("PUT", `/api/v1/macros/${id}`, body),
  deleteMacro: (id: number) => request<null>("DELETE", `/api/v1/macros/${id}`),
  previewMacro: (ticketId: number, macroId: number) =>
    request<MacroResult>("POST", `/api/v1/tickets/${ticketId}/macros/${macroId}/preview`),

  rules: () => request<{ items: Rule[] }>("GET", "/api/v1/rules"),
  createRule: (body: RuleBody) => request<Rule>("POST", "/api/v1/rules", body),
  updateRule: (id: number, body: RuleBody) => request<Rule>("PUT", `/api/v1/rules/${id}`, body),
  deleteRule: (id: number) => request<null>("DELETE", `/api/v1/rules/${id}`),

  surveyReport: (params: {
    metric: SurveyMetric;
    groupBy: SurveyGroupBy;
    period: ReportPeriod;
    from?: string;
    to?: string;
  }) => request<SurveyReport>("GET", `/api/v1/surveys/reports${query(params)}`),
  surveyComments: (params: { metric?: SurveyMetric; limit?: number }) =>
    request<{ items: SurveyResponseItem[]; nextCursor: string | null }>(
      "GET",
      `/api/v1/surveys/responses${query({ ...params, withComment: "true" })}`,
    ),
  recoveries: (params: { status?: "open" | "done"; limit?: number }) =>
    request<{ items: Recovery[]; nextBeforeId: number | null }>(
      "GET",
      `/api/v1/surveys/recoveries${query(params)}`,
    ),
  recordRecoveryOutcome: (id: number, body: { outcome: RecoveryOutcome; note?: string }) =>
    request<Recovery>("POST", `/api/v1/surveys/recoveries/${id}/outcome`, body),
  themes: (params: { from?: string; to?: string; source: ThemeSource; limit?: number; examples?: number }) =>
    request<ThemesReport>("GET", `/api/v1/insights/themes${query(params)}`),
  surveySettings: () => request<SurveySettings>("GET", "/api/v1/surveys/settings"),
  saveSurveySettings: (settings: SurveySettings) =>
    request<SurveySettings>("PUT", "/api/v1/surveys/settings", settings),
};
