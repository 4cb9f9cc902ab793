import { BlockList, isIP } from 'node:net';
import { arnMatches } from './execute-api-arn';
import { InvokeMechanism } from './invoke-routes';

/**
 * API Gateway's authorization flow for one request to a REST API, as the developer guide documents it in
 * "How API Gateway resource policies affect authorization workflow". Pure: for tests and synth-time proofs
 * of the policies SecureApi writes. It evaluates only what those policies use (see {@link evaluatePolicy});
 * anything else is an error rather than a guess.
 *
 * - No authorizer (public, API key only): the resource policy must explicitly allow; any Deny denies.
 * - Lambda authorizer: an explicit Deny of the resource policy denies before the authorizer runs; then the
 *   authorizer's policy and the resource policy are combined by Table A.
 * - Cognito user pools: after a valid token, the resource policy alone decides, and must explicitly allow.
 * - IAM: the caller's identity policies and the resource policy, by Table A for a caller of the API's own
 *   account (either may allow), by Table B for a caller of another account (both must allow).
 * With no resource policy at all, the mechanism alone decides (and a caller of another account is
 * implicitly denied, Table B).
 */

/** What one policy says about a request. */
export type PolicyDecision = 'allow' | 'deny' | 'neither';

/** The flow's answer. */
export type InvokeOutcome = 'allow' | 'explicitDeny' | 'implicitDeny';

/** The API a request is for: what `execute-api:/` expands to. */
export interface ApiIdentity {
  readonly partition?: string;
  readonly region: string;
  readonly account: string;
  readonly apiId: string;
}

/** An IAM principal that signed a request. */
export interface SigningPrincipal {
  readonly account: string;
  /** The role or user ARN (`arn:aws:iam::111111111111:role/reader`); an assumed-role session is its role. */
  readonly arn: string;
}

export interface InvokeRequest {
  /** The request's method ARN: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`. */
  readonly methodArn: string;
  /** How the route is authorized. */
  readonly mechanism: InvokeMechanism;
  /** The client address (`aws:SourceIp`); absent through a VPC endpoint. */
  readonly sourceIp?: string;
  /** The VPC endpoint the request came through (`aws:SourceVpce`), for a PRIVATE API. */
  readonly sourceVpce?: string;
  /** IAM routes: the principal whose valid signature the request carries; absent for an unsigned request. */
  readonly principal?: SigningPrincipal;
  /** IAM routes: the statements of the principal's identity policies. */
  readonly identityStatements?: ReadonlyArray<{ [key: string]: unknown }>;
  /** Lambda authorizer routes: what the policy the authorizer returned says about this request. */
  readonly authorizer?: PolicyDecision;
  /** Cognito routes: the request carries a token the user pool accepts. */
  readonly validToken?: boolean;
}

/** The outcome of the flow for `request` under `resourcePolicy` (undefined: the API has none). */
export function evaluateInvoke(resourcePolicy: unknown, request: InvokeRequest, api: ApiIdentity): InvokeOutcome {
  const context = requestContext(request);
  const resource: PolicyDecision | undefined =
    resourcePolicy === undefined ? undefined : evaluatePolicy(statementsOf(resourcePolicy), context, api, { resourcePolicy: true });
  switch (request.mechanism) {
    case 'none':
      return resource === undefined ? 'allow' : only(resource);
    case 'cognitoUserPools':
      if (request.validToken !== true) return 'implicitDeny';
      return resource === undefined ? 'allow' : only(resource);
    case 'lambdaAuthorizer':
      if (resource === 'deny') return 'explicitDeny';
      return tableA(request.authorizer ?? 'neither', resource ?? 'neither');
    case 'iam': {
      if (request.principal === undefined) return 'implicitDeny';
      const identity = evaluatePolicy(request.identityStatements ?? [], context, api, { resourcePolicy: false });
      return request.principal.account === api.account ? tableA(identity, resource ?? 'neither') : tableB(identity, resource ?? 'neither');
    }
  }
}

/** The resource policy alone decides, and must explicitly allow. */
function only(resource: PolicyDecision): InvokeOutcome {
  return resource === 'allow' ? 'allow' : resource === 'deny' ? 'explicitDeny' : 'implicitDeny';
}

/** Table A: same account: a Deny anywhere denies; otherwise either Allow allows. */
export function tableA(caller: PolicyDecision, resource: PolicyDecision): InvokeOutcome {
  if (caller === 'deny' || resource === 'deny') return 'explicitDeny';
  return caller === 'allow' || resource === 'allow' ? 'allow' : 'implicitDeny';
}

/** Table B: another account: a Deny anywhere denies; otherwise both must allow. */
export function tableB(caller: PolicyDecision, resource: PolicyDecision): InvokeOutcome {
  if (caller === 'deny' || resource === 'deny') return 'explicitDeny';
  return caller === 'allow' && resource === 'allow' ? 'allow' : 'implicitDeny';
}

/** Request context keys (IAM's global condition keys), absent when the request does not carry them. */
type RequestContext = {
  readonly methodArn: string;
  readonly principal?: SigningPrincipal;
  readonly keys: { readonly [key: string]: string | undefined };
};

function requestContext(request: InvokeRequest): RequestContext {
  // aws:PrincipalAccount, aws:PrincipalArn: present only on IAM-authorized requests (developer guide,
  // "AWS condition keys that can be used in API Gateway resource policies").
  const principal = request.mechanism === 'iam' ? request.principal : undefined;
  return {
    methodArn: request.methodArn,
    principal,
    keys: {
      'aws:sourceip': request.sourceIp,
      'aws:sourcevpce': request.sourceVpce,
      'aws:principalaccount': principal?.account,
      'aws:principalarn': principal?.arn,
    },
  };
}

function statementsOf(policy: unknown): ReadonlyArray<{ [key: string]: unknown }> {
  const statements = (policy as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements)) return [statements as { [key: string]: unknown }];
  return statements as Array<{ [key: string]: unknown }>;
}

/**
 * What a list of statements says about the request: `deny` if a Deny applies, else `allow` if an Allow
 * applies, else `neither`. In a resource policy a statement applies only to the principals it names.
 */
function evaluatePolicy(
  statements: ReadonlyArray<{ [key: string]: unknown }>,
  context: RequestContext,
  api: ApiIdentity,
  options: { readonly resourcePolicy: boolean },
): PolicyDecision {
  let allowed = false;
  for (const statement of statements) {
    for (const unsupported of ['NotAction', 'NotResource', 'NotPrincipal']) {
      // Invariant (a bug, not configuration):
      if (unsupported in statement) throw new Error(`the authorization flow does not evaluate ${unsupported}`);
    }
    if (!listOf(statement.Action).some((action) => arnMatches(action.toLowerCase(), 'execute-api:invoke'))) continue;
    if (!listOf(statement.Resource).some((resource) => arnMatches(expandResource(resource, api), context.methodArn))) continue;
    if (options.resourcePolicy && !principalMatches(statement.Principal, context.principal)) continue;
    if (!conditionHolds(statement.Condition, context)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'neither';
}

/** `execute-api:/…` is API Gateway's shorthand for this API's ARN. */
function expandResource(resource: string, api: ApiIdentity): string {
  return resource.startsWith('execute-api:/')
    ? `arn:${api.partition ?? 'aws'}:execute-api:${api.region}:${api.account}:${api.apiId}/${resource.slice('execute-api:/'.length)}`
    : resource;
}

/** `*` (or `{AWS: '*'}`) is anyone, signed or not; an account (id or root ARN) is any of its principals; an ARN is that role or user. */
function principalMatches(principal: unknown, caller: SigningPrincipal | undefined): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const names = listOf((principal as { AWS?: unknown }).AWS);
  return names.some((name) => {
    if (name === '*') return true;
    if (caller === undefined) return false;
    const account = /^(\d{12})$/.exec(name)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):root$/.exec(name)?.[1];
    return account !== undefined ? caller.account === account : caller.arn === name;
  });
}

/** Every operator must hold, every key of an operator too (IAM's AND), any value of a key (OR). */
function conditionHolds(condition: unknown, context: RequestContext): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition as { [operator: string]: { [key: string]: unknown } }).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => operatorHolds(operator, context.keys[key.toLowerCase()], listOf(expected))),
  );
}

function operatorHolds(operator: string, value: string | undefined, expected: string[]): boolean {
  switch (operator) {
    case 'StringEquals':
      return value !== undefined && expected.includes(value);
    case 'StringNotEquals':
      // A negated operator holds when the key is absent (IAM User Guide, "Condition operators").
      return value === undefined || !expected.includes(value);
    case 'ArnEquals':
    case 'ArnLike':
      return value !== undefined && expected.some((pattern) => arnMatches(pattern, value));
    case 'IpAddress':
      return value !== undefined && inRanges(value, expected);
    case 'NotIpAddress':
      return value === undefined || !inRanges(value, expected);
    case 'Null':
      return expected.every((e) => (e === 'true' ? value === undefined : value !== undefined));
    default:
      // Invariant (a bug, not configuration):
      throw new Error(`the authorization flow does not evaluate the condition operator ${operator}`);
  }
}

function inRanges(address: string, cidrs: string[]): boolean {
  const family = isIP(address);
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [base, prefix] = cidr.split('/');
    const type = isIP(base) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(base, Number(prefix ?? (type === 'ipv6' ? 128 : 32)), type);
  }
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}
