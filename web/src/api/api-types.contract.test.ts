// The web app's hand-written API types must accept what the server's zod schemas produce: if an API field is
// renamed or retyped, this file stops type-checking (`npm run typecheck`) before an agent sees a broken screen.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { logCallBodySchema } from "../../../src/modules/calls/calls.schemas.ts";
import type { chatSettingsResponseSchema, ticketChatSchema } from "../../../src/modules/chat/chat.schemas.ts";
import type {
  customerDetailSchema,
  timelineResponseSchema,
} from "../../../src/modules/customers/customers.schemas.ts";
import type {
  themesQuerySchema,
  themesResponseSchema,
} from "../../../src/modules/insights/insights.schemas.ts";
import type {
  macroBodySchema,
  macroResultSchema,
  macroSchema,
} from "../../../src/modules/macros/macros.schemas.ts";
import type {
  retentionCohortsSchema,
  retentionLtvSchema,
  retentionPurchasesSchema,
  retentionRatesSchema,
  retentionRfmSchema,
  retentionSummarySchema,
} from "../../../src/modules/retention/retention.schemas.ts";
import type { teamLoadSchema } from "../../../src/modules/routing/routing.routes.ts";
import type { ruleBodySchema, ruleSchema } from "../../../src/modules/rules/rules.routes.ts";
import type {
  calendarBodySchema,
  calendarSchema,
  policyBodySchema,
  policySchema,
  slaReportSchema,
} from "../../../src/modules/sla/sla.schemas.ts";
import type {
  recoveryOutcomeBodySchema,
  recoverySchema,
  reportSchema,
  surveyResponseItemSchema,
  surveySettingsSchema,
} from "../../../src/modules/surveys/surveys.schemas.ts";
import type {
  messageSchema,
  ticketCountsSchema,
  ticketDetailSchema,
  ticketListItemSchema,
  ticketListResponseSchema,
  ticketSummarySchema,
} from "../../../src/modules/tickets/tickets.schemas.ts";
import { ticketViews } from "../lib/app-route.ts";
import type {
  ChatSettings,
  CustomerDetail,
  LogCallInput,
  Macro,
  MacroBody,
  MacroResult,
  Message,
  Page,
  Recovery,
  RecoveryOutcome,
  RetentionCohorts,
  RetentionLtv,
  RetentionPurchases,
  RetentionRates,
  RetentionRfm,
  RetentionSummary,
  Rule,
  RuleBody,
  SlaCalendar,
  SlaCalendarBody,
  SlaPolicy,
  SlaPolicyBody,
  SlaReport,
  SurveyReport,
  SurveyResponseItem,
  SurveySettings,
  TeamLoad,
  ThemeSource,
  ThemesReport,
  TicketChat,
  TicketCounts,
  TicketDetail,
  TicketListItem,
  TicketListPage,
  TicketSummary,
  TimelineItem,
} from "./api-types.ts";

describe("web API types", () => {
  it("accept every response shape the server declares", () => {
    expectTypeOf<z.infer<typeof ticketSummarySchema>>().toExtend<TicketSummary>();
    expectTypeOf<z.infer<typeof ticketDetailSchema>>().toExtend<TicketDetail>();
    expectTypeOf<z.infer<typeof messageSchema>>().toExtend<Message>();
    expectTypeOf<z.infer<typeof ticketListResponseSchema>>().toExtend<Page<TicketSummary>>();
    expectTypeOf<z.infer<typeof ticketListItemSchema>>().toExtend<TicketListItem>();
    expectTypeOf<z.infer<typeof ticketListResponseSchema>>().toExtend<TicketListPage>();
    expectTypeOf<z.infer<typeof ticketCountsSchema>>().toExtend<TicketCounts>();
    expectTypeOf<z.infer<typeof customerDetailSchema>>().toExtend<CustomerDetail>();
    expectTypeOf<z.infer<typeof timelineResponseSchema>>().toExtend<Page<TimelineItem>>();
    expectTypeOf<z.infer<typeof chatSettingsResponseSchema>>().toExtend<ChatSettings>();
    expectTypeOf<z.infer<typeof ticketChatSchema>>().toExtend<TicketChat>();
    expectTypeOf<z.infer<typeof retentionSummarySchema>>().toExtend<RetentionSummary>();
    expectTypeOf<z.infer<typeof retentionRatesSchema>>().toExtend<RetentionRates>();
    expectTypeOf<z.infer<typeof retentionCohortsSchema>>().toExtend<RetentionCohorts>();
    expectTypeOf<z.infer<typeof retentionRfmSchema>>().toExtend<RetentionRfm>();
    expectTypeOf<z.infer<typeof retentionLtvSchema>>().toExtend<RetentionLtv>();
    expectTypeOf<z.infer<typeof retentionPurchasesSchema>>().toExtend<RetentionPurchases>();
    expectTypeOf<z.infer<typeof macroSchema>>().toExtend<Macro>();
    expectTypeOf<z.infer<typeof macroResultSchema>>().toExtend<MacroResult>();
  });

  it("send request bodies the server accepts", () => {
    expectTypeOf<LogCallInput>().toExtend<z.input<typeof logCallBodySchema>>();
    expectTypeOf<z.infer<typeof teamLoadSchema>>().toExtend<TeamLoad>();
    expectTypeOf<z.infer<typeof calendarSchema>>().toExtend<SlaCalendar>();
    expectTypeOf<z.infer<typeof policySchema>>().toExtend<SlaPolicy>();
    expectTypeOf<z.infer<typeof slaReportSchema>>().toExtend<SlaReport>();
    expectTypeOf<z.infer<typeof ruleSchema>>().toExtend<Rule>();
    expectTypeOf<z.infer<typeof reportSchema>>().toExtend<SurveyReport>();
    expectTypeOf<z.infer<typeof surveyResponseItemSchema>>().toExtend<SurveyResponseItem>();
    expectTypeOf<z.infer<typeof recoverySchema>>().toExtend<Recovery>();
    expectTypeOf<z.output<typeof surveySettingsSchema>>().toExtend<SurveySettings>();
    expectTypeOf<z.infer<typeof themesResponseSchema>>().toExtend<ThemesReport>();
    expectTypeOf<{ source: ThemeSource; from?: string; to?: string; examples?: number }>().toExtend<
      z.input<typeof themesQuerySchema>
    >();
  });

  it("send bodies the server accepts", () => {
    expectTypeOf<SlaPolicyBody>().toExtend<z.input<typeof policyBodySchema>>();
    expectTypeOf<SlaCalendarBody>().toExtend<z.input<typeof calendarBodySchema>>();
    expectTypeOf<MacroBody>().toExtend<z.input<typeof macroBodySchema>>();
    expectTypeOf<RuleBody>().toExtend<z.input<typeof ruleBodySchema>>();
    expectTypeOf<SurveySettings>().toExtend<z.input<typeof surveySettingsSchema>>();
    expectTypeOf<{ outcome: RecoveryOutcome; note?: string }>().toExtend<
      z.input<typeof recoveryOutcomeBodySchema>
    >();
  });

  it("offer a sidebar link for every view the counts report", () => {
    expectTypeOf<keyof z.infer<typeof ticketCountsSchema>>().toEqualTypeOf<(typeof ticketViews)[number]>();
    expect([...ticketViews].sort()).toEqual([
      "all",
      "breaching",
      "frustrated",
      "mine",
      "open",
      "pending",
      "recover",
      "solved",
      "unassigned",
      "value_at_risk",
    ]);
  });
});
