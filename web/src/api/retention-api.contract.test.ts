// The dashboard's churn-risk and service-impact types must accept what the server's zod schemas produce (the
// retention measures' types are checked in api-types.contract.test.ts).
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type {
  customerRiskResponseSchema,
  riskListSchema,
  riskModelSchema,
  serviceImpactSchema,
} from "../../../src/modules/risk/risk.schemas.ts";
import type { CustomerRisk, RiskList, RiskModelInfo, ServiceImpact } from "./api-types.ts";

describe("retention dashboard API types", () => {
  it("accept the risk and service-impact answers the server declares", () => {
    expectTypeOf<z.infer<typeof riskListSchema>>().toExtend<RiskList>();
    expectTypeOf<z.infer<typeof riskModelSchema>>().toExtend<RiskModelInfo>();
    expectTypeOf<z.infer<typeof customerRiskResponseSchema>>().toExtend<CustomerRisk>();
    expectTypeOf<z.infer<typeof serviceImpactSchema>>().toExtend<ServiceImpact>();
  });
});
