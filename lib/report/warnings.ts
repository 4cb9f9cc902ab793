import { ReportWarning } from './api-model';

/** A warning that says a secure default was turned off, with the prop that did it. */
export interface OptOut {
  readonly id: string;
  readonly prop: string;
  readonly message: string;
}

/** Warning ids that mean a default was turned off, and the prop when the message does not name one. */
const OPT_OUT_IDS: { readonly [id: string]: string | undefined } = {
  'cdk-secure-api:no-auth': 'auth',
  'cdk-secure-api:unprotected-operations': 'auth',
  'cdk-secure-api:waf-disabled': 'waf.enabled',
  'cdk-secure-api:weakened': undefined,
  'cdk-secure-api:tls-weakened': undefined,
  'cdk-secure-api:alarms-off': 'monitoring.alarms',
  'cdk-secure-api:dashboard-off': 'monitoring.dashboard',
  'cdk-secure-api:log-retention': 'logging.retention',
  'cdk-secure-api:auth-mfa-optional': 'auth.mfa',
  'cdk-secure-api:auth-threat-protection-off': 'auth.threatProtection',
  'cdk-secure-api:auth-token-type-unchecked': undefined,
  'cdk-secure-api:auth-sub-optional': 'auth.requiredClaims',
  'cdk-secure-api:docs-public': 'docs.access',
};

/** WAF option warnings that turn a protection off (others only advise). */
const WAF_WEAKENING = /is false|only counts|leaves out|is off|inspects only the first/;

const PROP_PATH =
  /\b((?:stage|waf|auth|docs|monitoring|logging|tls|domain|edge|apiKeys|cors|resourcePolicy|bodyPlacement)(?:\.[A-Za-z][A-Za-z0-9]*)+)/;

/** The warnings that turned a default off, each with the prop it names. */
export function optOuts(warnings: ReportWarning[]): OptOut[] {
  const out: OptOut[] = [];
  for (const w of warnings) {
    const known = w.id in OPT_OUT_IDS;
    if (!known && !(w.id === 'cdk-secure-api:waf' && WAF_WEAKENING.test(w.message))) continue;
    const prop = (known ? OPT_OUT_IDS[w.id] : undefined) ?? PROP_PATH.exec(w.message)?.[1] ?? w.id.replace('cdk-secure-api:', '');
    out.push({ id: w.id, prop, message: w.message });
  }
  return out;
}

/** A request rule API Gateway does not enforce, from the document pipeline's warnings. */
export interface ValidationGapWarning {
  readonly operationId: string;
  readonly id: string;
  readonly message: string;
}

/** The document pipeline's warnings about one operation's request rules (not its access). */
export function validationGapWarnings(warnings: ReportWarning[]): ValidationGapWarning[] {
  const out: ValidationGapWarning[] = [];
  for (const w of warnings) {
    if (w.id.startsWith('cdk-secure-api:security')) continue;
    const match = /^operation '([^']+)'/.exec(w.message);
    if (match !== null) out.push({ operationId: match[1], id: w.id, message: w.message });
  }
  return out;
}

/** Operations the document declares public on purpose (`security: []`), from the pipeline's warnings. */
export function declaredPublic(warnings: ReportWarning[]): Set<string> {
  const ids = new Set<string>();
  for (const w of warnings) {
    if (!w.id.startsWith('cdk-secure-api:security')) continue;
    const match = /^operation '([^']+)'/.exec(w.message);
    if (match !== null) ids.add(match[1]);
  }
  return ids;
}
