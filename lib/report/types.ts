/**
 * The security report's shape: what `<stack>.<path>.secure-api-report.json` holds and the CLI reads.
 * Plain data, deterministic (no timestamps, no machine paths), so it can be diffed and snapshotted.
 */

/** How far SecureApi's controls, as synthesized, answer an OWASP API Security risk. */
export type RiskStatus = 'covered' | 'partial' | 'user responsibility' | 'not covered';

/** A Security Hub control as judged from the template. */
export type ControlStatus = 'pass' | 'fail' | 'not judgeable' | 'not applicable';

/** One template setting read as evidence: where it is, what it holds, and whether it holds what the control needs. */
export interface Evidence {
  /** The logical id of the resource read (or `-` when the evidence is an absence in the whole template). */
  readonly resource: string;
  /** The property path read, e.g. `MethodSettings[*].DataTraceEnabled` or `Body.paths./pets.get.security`. */
  readonly setting: string;
  /** The value found, rendered compactly; `(absent)` when the setting is not there. */
  readonly value: string;
  /** Whether this setting is as the control needs it. */
  readonly holds: boolean;
}

/** One OWASP API Security Top 10 (2023) risk. */
export interface OwaspFinding {
  /** `API1:2023` ... `API10:2023`. */
  readonly id: string;
  readonly title: string;
  readonly status: RiskStatus;
  /** The controls that answer the risk, as built. */
  readonly controls: string[];
  readonly evidence: Evidence[];
  /** What the user must still do. */
  readonly userMustDo: string[];
}

/** One resource judged by one Security Hub control. */
export interface ControlResult {
  readonly resource: string;
  readonly resourceType: string;
  readonly status: ControlStatus;
  readonly evidence: string;
}

/** One AWS Security Hub control over the resources SecureApi created. */
export interface SecurityHubFinding {
  /** e.g. `APIGateway.1`. */
  readonly id: string;
  readonly title: string;
  /** fail if any resource fails; pass if all pass; not applicable when no resource is of its type. */
  readonly status: ControlStatus;
  readonly resources: ControlResult[];
}

/** One operation named in the attack surface. */
export interface OperationRef {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Why it is listed. */
  readonly detail: string;
}

/** A default that was weakened: by a prop (named) or by a change to the template outside the props. */
export interface WeakenedDefault {
  /** The prop that turned the default off, e.g. `waf.enabled`; `(template override)` for an escape hatch. */
  readonly prop: string;
  /** The logical id of the resource that shows it, when the template shows it. */
  readonly resource?: string;
  readonly detail: string;
}

export interface AttackSurface {
  /** Operations anyone can call: no authorizer, no API key. */
  readonly publicOperations: OperationRef[];
  /** Operations behind the authorizer that any valid token may call: no scope required. */
  readonly authWithoutScopes: OperationRef[];
  /** Operations protected by an API key alone (keys identify clients; they do not authenticate). */
  readonly apiKeyOnly: OperationRef[];
  /** Request rules API Gateway does not enforce, from the synth warnings. */
  readonly validationGaps: OperationRef[];
  /** Operations whose request bodies WAF does not (fully) inspect. */
  readonly bodiesBeyondWafInspection: OperationRef[];
  /** Operations API Gateway hands straight to an AWS service (SQS, EventBridge, Step Functions): the service and action only. */
  readonly awsServiceIntegrations: OperationRef[];
  /** Secure defaults that were turned off. */
  readonly weakenedDefaults: WeakenedDefault[];
}

/** The security report of one SecureApi. */
export interface SecurityReport {
  readonly schemaVersion: 1;
  /** Stack (artifact id) and construct path inside it. */
  readonly api: {
    readonly stack: string;
    readonly path: string;
    readonly restApi?: string;
    readonly stage?: string;
    readonly operations: number;
  };
  readonly summary: {
    readonly owasp: { readonly [status in RiskStatus]: number };
    readonly securityHub: { readonly [status in ControlStatus]: number };
    readonly weakened: number;
  };
  readonly owasp: OwaspFinding[];
  readonly securityHub: SecurityHubFinding[];
  readonly attackSurface: AttackSurface;
}
