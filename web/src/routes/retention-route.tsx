import { useEffect } from "react";
import type { PublicUser } from "../api/api-types.ts";
import { retentionApi } from "../api/retention-api.ts";
import { CohortHeatmapSection, RetentionCurvesSection } from "../features/retention/cohort-section.tsx";
import { HeadlineSection, PurchasesSection, RatesSection } from "../features/retention/headline-section.tsx";
import { LtvSection } from "../features/retention/ltv-section.tsx";
import { nextSteps, WithCode } from "../features/retention/retention-ui.tsx";
import { RfmSection } from "../features/retention/rfm-section.tsx";
import { ModelQualitySection, RiskListSection } from "../features/retention/risk-section.tsx";
import { ServiceImpactSection } from "../features/retention/service-impact-section.tsx";
import { useLoad } from "../lib/use-load.ts";

const jumpLinks = [
  ["headline", "Headline"],
  ["cohorts", "Cohorts"],
  ["ltv", "Lifetime value"],
  ["rfm", "RFM"],
  ["risk", "At risk"],
  ["model", "Model"],
  ["service", "Service"],
] as const;

/** The retention dashboard for leads and admins: who stays, who is worth what, who is at risk and why. */
export function RetentionRoute({ me }: { me: PublicUser }) {
  useEffect(() => {
    document.title = "Retention · Tend";
  }, []);
  if (me.role === "agent") {
    return (
      <main className="retention-page">
        <p>
          <a href="/inbox/mine">← Back to the inbox</a>
        </p>
        <h1>Retention</h1>
        <p className="section-empty">
          Only leads and admins can see the retention dashboard. Ask an admin to give you the lead role.
        </p>
      </main>
    );
  }
  return <RetentionDashboard />;
}

function RetentionDashboard() {
  const [summary, reloadSummary] = useLoad(() => retentionApi.summary(), "summary");
  const [cohorts, reloadCohorts] = useLoad(() => retentionApi.cohorts(), "cohorts");
  const [ltv, reloadLtv] = useLoad(() => retentionApi.ltv(), "ltv");
  const [rfm, reloadRfm] = useLoad(() => retentionApi.rfm(), "rfm");
  const [model, reloadModel] = useLoad(() => retentionApi.riskModel(), "model");
  const [impact, reloadImpact] = useLoad(() => retentionApi.serviceImpact(), "impact");
  const noOrders = summary.status === "ready" && summary.data.scope.orders === 0;
  return (
    <main className="retention-page">
      <header className="retention-head">
        <div>
          <a href="/inbox/mine">← Inbox</a>
          <h1>Retention</h1>
        </div>
        {!noOrders && (
          <nav aria-label="Dashboard sections" className="jump-links">
            {jumpLinks.map(([id, label]) => (
              <a key={id} href={`#${id}`}>
                {label}
              </a>
            ))}
          </nav>
        )}
      </header>
      {noOrders ? (
        <section className="dash-grid" aria-label="No data yet">
          <p className="section-empty dash-wide" data-testid="retention-empty">
            <WithCode text={nextSteps.noOrders} /> Retention figures, cohorts, lifetime value and churn risk
            all come from orders.
          </p>
        </section>
      ) : (
        <div className="dash-grid">
          <HeadlineSection state={summary} onRetry={reloadSummary} />
          <RatesSection />
          <CohortHeatmapSection state={cohorts} onRetry={reloadCohorts} />
          <RetentionCurvesSection state={cohorts} onRetry={reloadCohorts} />
          <PurchasesSection />
          <LtvSection state={ltv} onRetry={reloadLtv} />
          <RfmSection state={rfm} onRetry={reloadRfm} />
          <RiskListSection />
          <ModelQualitySection
            state={model}
            onRetry={reloadModel}
            currency={summary.status === "ready" ? summary.data.scope.currency : null}
          />
          <ServiceImpactSection state={impact} onRetry={reloadImpact} />
        </div>
      )}
    </main>
  );
}
