// `tend serve --roles worker` as the CLI runs it, plus one test-only job. Tests spawn this instead of bin/tend.js
// because production code has no switch for test jobs: the job list is a parameter of serveTend (the registry by
// default), and only this entry passes a longer one. Configuration comes from the environment as usual.
import { loadConfig } from "../../src/config.ts";
import { jobDefinitions } from "../../src/jobs/job-registry.ts";
import { serveTend } from "../../src/main.ts";
import { slowEffectJob } from "./slow-effect.job.ts";

await serveTend({
  config: loadConfig(),
  roles: ["worker"],
  jobDefinitions: [...jobDefinitions, slowEffectJob],
});
process.exit(0);
