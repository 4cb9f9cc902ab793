import { attackSurface } from './attack-surface';
import { readApiModel, ReportInput } from './api-model';
import { evaluateOwasp } from './owasp';
import { evaluateSecurityHub } from './security-hub';
import { ControlStatus, RiskStatus, SecurityReport } from './types';

const RISK_STATUSES: RiskStatus[] = ['covered', 'partial', 'user responsibility', 'not covered'];
const CONTROL_STATUSES: ControlStatus[] = ['pass', 'fail', 'not judgeable', 'not applicable'];

/** The security report of one SecureApi, from its synthesized template and synth warnings. */
export function buildSecurityReport(input: ReportInput): SecurityReport {
  const model = readApiModel(input);
  const owasp = evaluateOwasp(model);
  const securityHub = evaluateSecurityHub(model);
  const surface = attackSurface(model);
  const count = <T extends string>(statuses: T[], values: T[]) =>
    Object.fromEntries(statuses.map((s) => [s, values.filter((v) => v === s).length])) as { [status in T]: number };
  return {
    schemaVersion: 1,
    api: {
      stack: input.stack,
      path: input.path,
      restApi: model.restApi?.[0],
      stage: model.stage?.[0],
      operations: model.operations.length,
    },
    summary: {
      owasp: count(
        RISK_STATUSES,
        owasp.map((f) => f.status),
      ),
      securityHub: count(
        CONTROL_STATUSES,
        securityHub.map((f) => f.status),
      ),
      weakened: surface.weakenedDefaults.length,
    },
    owasp,
    securityHub,
    attackSurface: surface,
  };
}
