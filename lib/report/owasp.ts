import {
  ApiModel,
  authorizerConfig,
  integrationTargetKind,
  methodSettings,
  OperationView,
  stageWideSettings,
  webAclRules,
} from './api-model';
import { Evidence, OwaspFinding, RiskStatus } from './types';
import { isObject, propsOf, refersTo, resourcesOfType, show } from './template';
import { bodySizeRule, countedRules, groupCounts, managedGroupRule, rateRules } from './waf-facts';
import { declaredPublic } from './warnings';

type Assessment = Pick<OwaspFinding, 'status' | 'controls' | 'evidence'>;

/** One OWASP API Security Top 10 (2023) risk: what it is, how to judge it from the template, what stays the user's job. */
export interface OwaspRisk {
  readonly id: string;
  readonly title: string;
  readonly assess: (model: ApiModel) => Assessment;
  readonly userMustDo: string[];
}

const ev = (resource: string, setting: string, value: unknown, holds: boolean): Evidence => ({
  resource,
  setting,
  value: typeof value === 'string' && value.startsWith('(') ? value : show(value),
  holds,
});
const opSetting = (model: ApiModel, op: OperationView, key: string) =>
  `${model.bodySetting}.paths.${op.path}.${op.method.toLowerCase()}.${key}`;
const restApiId = (model: ApiModel) => model.restApi?.[0] ?? '-';
const stageId = (model: ApiModel) => model.stage?.[0] ?? '-';
/** The web ACL when one is associated, else the stage that lacks it. */
const wafId = (model: ApiModel) => model.webAcl?.[0] ?? stageId(model);

/** A web ACL associated by ARN (`waf.webAclArn`): present, but its rules are not in this template. */
const externalAclControl = (model: ApiModel) =>
  `Web ACL ${model.externalWebAcl} associated with the stage (outside this template: its rules are not judged here)`;

/** The body could not be read: nothing about operations can be judged. */
function bodyMissing(model: ApiModel): Assessment | undefined {
  if (model.body !== undefined) return undefined;
  return { status: 'not covered', controls: [], evidence: [ev(restApiId(model), model.bodySetting, '(absent)', false)] };
}

/** Operations that name an object by an identifier in their path. */
const objectOperations = (model: ApiModel) => model.operations.filter((o) => o.path.includes('{'));

/** API1: each operation that addresses an object by id has an authenticated caller the backend can check ownership against. */
export function assessObjectLevelAuthorization(model: ApiModel): Assessment {
  const missing = bodyMissing(model);
  if (missing) return missing;
  const ops = objectOperations(model);
  const evidence = ops.map((o) => ev(restApiId(model), opSetting(model, o, 'security'), o.security, o.mechanism !== 'none'));
  const anonymous = ops.filter((o) => o.mechanism === 'none');
  const controls =
    ops.length > anonymous.length
      ? ['JWT authorizer on every operation that takes an object id; the caller identity (principalId) reaches the backend']
      : [];
  const status: RiskStatus =
    ops.length === 0 || anonymous.length === 0 ? 'user responsibility' : anonymous.length < ops.length ? 'partial' : 'not covered';
  return { status, controls, evidence };
}

const MECHANISM_NAMES: { [mechanism: string]: string } = {
  jwt: 'JWT authorizer',
  iam: 'IAM (SigV4, AWS_IAM)',
  lambda: 'Lambda authorizer',
  cognitoUserPool: 'Cognito user pool authorizer',
};

/** API2: tokens are verified (issuer, audience, algorithms, typ, claims) and repeated failures are blocked. */
export function assessAuthentication(model: ApiModel): Assessment {
  const missing = bodyMissing(model);
  if (missing) return missing;
  const evidence: Evidence[] = [];
  const controls: string[] = [];
  const protectedOps = model.operations.filter((o) => o.security.length > 0);
  const keyOnly = protectedOps.filter((o) => o.mechanism === 'none');
  const authenticated = model.operations.filter((o) => o.mechanism !== 'none');
  // Each operation's mechanism, read from the body: cdk-nag's APIG4/COG4 cannot see methods of an imported body.
  for (const o of authenticated) evidence.push(ev(restApiId(model), opSetting(model, o, 'security'), `${o.mechanism}`, true));
  const mechanisms = [...new Set(authenticated.map((o) => o.mechanism))].sort();
  if (mechanisms.length > 0)
    controls.push(
      `Caller authentication per operation: ${mechanisms
        .map(
          (m) =>
            `${MECHANISM_NAMES[m]} (${authenticated
              .filter((o) => o.mechanism === m)
              .map((o) => o.operationId)
              .join(', ')})`,
        )
        .join('; ')}`,
    );
  for (const [name, scheme] of model.authorizerSchemes)
    evidence.push(
      ev(
        restApiId(model),
        `${model.bodySetting}.components.securitySchemes.${name}.x-amazon-apigateway-authorizer.type`,
        (scheme['x-amazon-apigateway-authorizer'] as { [k: string]: unknown }).type,
        true,
      ),
    );
  for (const o of keyOnly) evidence.push(ev(restApiId(model), opSetting(model, o, 'security'), o.security, false));
  const config = authorizerConfig(model);
  let configStrong = false;
  if (config !== undefined) {
    const [fn, c] = config;
    const algorithms = Array.isArray(c.algorithms) ? c.algorithms.map(String) : [];
    const required = Array.isArray(c.requiredClaims) ? c.requiredClaims.map(String) : [];
    const issuers = Array.isArray(c.issuers) ? c.issuers.filter(isObject) : [];
    const typed = issuers.length > 0 && issuers.every((i) => Array.isArray(i.tokenTypes) && i.tokenTypes.length > 0);
    const asymmetric = algorithms.length > 0 && algorithms.every((a) => /^(RS|ES|PS)\d{3}$|^EdDSA$/.test(a));
    evidence.push(ev(fn, 'Environment.Variables.SECUREAPI_AUTHORIZER_CONFIG.algorithms', algorithms, asymmetric));
    evidence.push(
      ev(
        fn,
        'Environment.Variables.SECUREAPI_AUTHORIZER_CONFIG.issuers[*].tokenTypes',
        issuers.map((i) => i.tokenTypes ?? null),
        typed,
      ),
    );
    evidence.push(ev(fn, 'Environment.Variables.SECUREAPI_AUTHORIZER_CONFIG.requiredClaims', required, required.includes('sub')));
    configStrong = asymmetric && typed && required.includes('sub');
    if (configStrong)
      controls.push(
        'JWT authorizer (aws-jwt-verify): asymmetric algorithms only, token type checked, exp/iat/sub required, issuer and audience pinned',
      );
  } else if (model.authorizerFunctions.length > 0) {
    evidence.push(
      ev(model.authorizerFunctions[0], 'Environment.Variables.SECUREAPI_AUTHORIZER_CONFIG', '(not readable from the template)', false),
    );
  }
  const autoBlock = webAclRules(model).find((r) => r.Name === 'AutoBlockedIps');
  evidence.push(
    ev(
      wafId(model),
      'Rules[AutoBlockedIps]',
      autoBlock === undefined ? '(absent)' : autoBlock.Action,
      autoBlock !== undefined && isObject(autoBlock.Action) && 'Block' in autoBlock.Action,
    ),
  );
  if (autoBlock !== undefined)
    controls.push('Automatic blocking of addresses that keep failing authentication (WAF IP set fed from the access log)');
  for (const [id, pool] of resourcesOfType(model.template, 'AWS::Cognito::UserPool').filter(([id]) => model.owned.has(id))) {
    const mfa = propsOf(pool).MfaConfiguration;
    evidence.push(ev(id, 'MfaConfiguration', mfa, mfa === 'ON'));
  }
  let status: RiskStatus;
  // The JWT authorizer's configuration is judged when it is used; IAM and the native Cognito authorizer are AWS's own.
  const jwtUsed = authenticated.some((o) => o.mechanism === 'jwt');
  if (authenticated.length === 0) status = 'not covered';
  else if (keyOnly.length > 0 || (jwtUsed && !configStrong) || autoBlock === undefined) status = 'partial';
  else status = 'covered';
  return { status, controls, evidence };
}

/** API3: request bodies are validated against models; properties a caller may not set can be rejected. */
export function assessPropertyLevelAuthorization(model: ApiModel): Assessment {
  const missing = bodyMissing(model);
  if (missing) return missing;
  const withBody = model.operations.filter((o) => o.bodyMediaTypes.length > 0);
  const bodyValidated = (o: OperationView) => o.validator?.body === true && o.unmodelledMediaTypes.length === 0;
  const evidence = withBody.map((o) =>
    ev(
      restApiId(model),
      opSetting(model, o, 'x-amazon-apigateway-request-validator'),
      o.validator === undefined ? '(absent)' : { validateRequestBody: o.validator.body },
      o.validator?.body === true,
    ),
  );
  for (const o of withBody.filter((op) => op.unmodelledMediaTypes.length > 0)) {
    evidence.push(
      ev(restApiId(model), opSetting(model, o, 'requestBody.content'), `no model for ${o.unmodelledMediaTypes.join(', ')}`, false),
    );
  }
  const schemas =
    isObject(model.body?.components) && isObject((model.body!.components as { [k: string]: unknown }).schemas)
      ? ((model.body!.components as { [k: string]: unknown }).schemas as { [k: string]: unknown })
      : {};
  const closed = Object.entries(schemas)
    .filter(([, s]) => isObject(s) && s.additionalProperties === false)
    .map(([n]) => n)
    .sort();
  evidence.push(
    ev(
      restApiId(model),
      `${model.bodySetting}.components.schemas[*].additionalProperties`,
      `${closed.length} of ${Object.keys(schemas).length} models closed (false)`,
      true,
    ),
  );
  const validated = withBody.filter(bodyValidated);
  const controls =
    validated.length > 0
      ? ['Request models from the document validate every JSON body; readOnly properties are removed from request models']
      : [];
  const status: RiskStatus =
    validated.length === withBody.length ? 'user responsibility' : validated.length > 0 ? 'partial' : 'not covered';
  return { status, controls, evidence };
}

/** API4: stage throttling, WAF rate limits and a body size limit bound what one client can consume. */
export function assessResourceConsumption(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const controls: string[] = [];
  const stageWide = stageWideSettings(model.stage?.[1]);
  const throttled = typeof stageWide?.ThrottlingRateLimit === 'number' && typeof stageWide?.ThrottlingBurstLimit === 'number';
  evidence.push(ev(stageId(model), 'MethodSettings[/*,*].ThrottlingRateLimit', stageWide?.ThrottlingRateLimit ?? '(absent)', throttled));
  evidence.push(ev(stageId(model), 'MethodSettings[/*,*].ThrottlingBurstLimit', stageWide?.ThrottlingBurstLimit ?? '(absent)', throttled));
  if (throttled) controls.push('Stage-wide throttling (rate and burst), per-operation throttles from the document');
  const associated = model.webAclAssociations.length > 0;
  evidence.push(
    ev(
      model.webAclAssociations[0]?.[0] ?? stageId(model),
      'AWS::WAFv2::WebACLAssociation → stage',
      associated ? model.webAclAssociations.map(([id]) => id) : '(absent)',
      associated,
    ),
  );
  const rates = associated ? rateRules(model) : [];
  evidence.push(ev(wafId(model), 'Rules[RateBasedStatement]', rates.length > 0 ? rates : '(absent)', rates.length > 0));
  if (rates.length > 0) controls.push(`WAF rate-based rules: ${rates.join(', ')}`);
  if (model.externalWebAcl !== undefined) controls.push(externalAclControl(model));
  const size = associated ? bodySizeRule(model) : undefined;
  evidence.push(
    ev(
      wafId(model),
      'Rules[SizeConstraintStatement on Body]',
      size === undefined ? '(absent)' : { rule: size.name, size: size.size },
      size !== undefined,
    ),
  );
  if (size !== undefined) controls.push(`WAF body size limit (${size.name}: ${size.size} bytes)`);
  for (const [id, plan] of model.usagePlans) {
    const p = propsOf(plan);
    evidence.push(
      ev(id, 'Throttle/Quota', { throttle: p.Throttle ?? null, quota: p.Quota ?? null }, p.Throttle !== undefined || p.Quota !== undefined),
    );
  }
  if (model.usagePlans.length > 0) controls.push('Usage plans with per-consumer throttles and quotas');
  const present = [throttled, rates.length > 0, size !== undefined].filter(Boolean).length;
  const status: RiskStatus = present === 3 ? 'covered' : present === 0 && model.usagePlans.length === 0 ? 'not covered' : 'partial';
  return { status, controls, evidence };
}

/** API5: every operation behind the authorizer requires the scopes its document names; none is open by accident. */
export function assessFunctionLevelAuthorization(model: ApiModel): Assessment {
  const missing = bodyMissing(model);
  if (missing) return missing;
  const deliberate = declaredPublic(model.input.warnings);
  const evidence: Evidence[] = [];
  const scopeless = model.operations.filter(
    (o) => o.authorizer && o.scopes !== undefined && o.scopes.every((alternative) => alternative.length === 0),
  );
  const unknown = model.operations.filter((o) => o.authorizer && o.scopes === undefined);
  const accidental = model.operations.filter((o) => o.mechanism === 'none' && !(o.security.length === 0 && deliberate.has(o.operationId)));
  for (const o of model.operations) {
    // IAM: the caller's own policy decides, per method ARN (execute-api:Invoke), which operations it may call.
    if (o.mechanism === 'iam') {
      evidence.push(ev(restApiId(model), opSetting(model, o, 'security'), 'AWS_IAM: execute-api:Invoke on the method ARN', true));
      continue;
    }
    const holds = o.authorizer
      ? o.scopes !== undefined && !scopeless.includes(o)
      : deliberate.has(o.operationId) && o.security.length === 0;
    evidence.push(
      ev(
        o.authorizer ? (model.authorizerFunctions[0] ?? restApiId(model)) : restApiId(model),
        o.authorizer ? `routes.json["${o.method} ${o.path}"]` : opSetting(model, o, 'security'),
        o.authorizer ? (o.scopes ?? '(not readable)') : o.security,
        holds,
      ),
    );
  }
  // The token-keyed authorizer (identitySource the token alone) serves the operations a synth-time proof shows one policy decides exactly.
  const tokenKeyed = model.authorizerSchemes.some(
    ([, s]) => !String((s['x-amazon-apigateway-authorizer'] as { [k: string]: unknown }).identitySource).includes('context.resourcePath'),
  );
  const controls = model.operations.some((o) => o.authorizer)
    ? [
        tokenKeyed
          ? 'Per-operation scopes from the document enforced by the authorizer; its answer is cached per token where a synth-time proof shows one policy decides every such operation exactly, otherwise per token, method and path (identitySource)'
          : 'Per-operation scopes from the document enforced by the authorizer; its answer is cached per token, method and path (identitySource)',
      ]
    : [];
  const authenticated = model.operations.filter((o) => o.authorizer);
  let status: RiskStatus;
  if (authenticated.length === 0) status = 'not covered';
  else if (scopeless.length > 0 || unknown.length > 0 || accidental.length > 0) status = 'partial';
  else status = 'covered';
  return { status, controls, evidence };
}

/** API6: flows can be limited per operation and per client; which flows are sensitive is the user's call. */
export function assessBusinessFlows(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const controls: string[] = [];
  const associated = model.webAclAssociations.length > 0;
  const rules = associated ? webAclRules(model) : [];
  const perOperation = rules.filter((r) => String(r.Name).startsWith('RateLimit-')).map((r) => String(r.Name));
  const perClient = rules.filter((r) => r.Name === 'RateLimitPerClient' || r.Name === 'RateLimitPerIp').map((r) => String(r.Name));
  const bots = rules.filter((r) => /BotControl|ATP|ACFP/.test(String(r.Name))).map((r) => String(r.Name));
  evidence.push(
    ev(wafId(model), 'Rules[RateLimit-<operationId>]', perOperation.length > 0 ? perOperation : '(absent)', perOperation.length > 0),
  );
  evidence.push(
    ev(wafId(model), 'Rules[RateLimitPerIp|RateLimitPerClient]', perClient.length > 0 ? perClient : '(absent)', perClient.length > 0),
  );
  evidence.push(ev(wafId(model), 'Rules[Bot Control|ATP]', bots.length > 0 ? bots : '(absent)', bots.length > 0));
  for (const [id, plan] of model.usagePlans)
    evidence.push(ev(id, 'Quota', propsOf(plan).Quota ?? '(absent)', propsOf(plan).Quota !== undefined));
  if (perOperation.length > 0) controls.push(`Per-operation WAF rate limits: ${perOperation.join(', ')}`);
  if (perClient.length > 0) controls.push(`WAF rate limits per client: ${perClient.join(', ')}`);
  if (bots.length > 0) controls.push(`WAF bot and fraud rule groups: ${bots.join(', ')}`);
  if (model.usagePlans.some(([, p]) => propsOf(p).Quota !== undefined)) controls.push('Usage plan quotas per consumer');
  if (model.externalWebAcl !== undefined) controls.push(externalAclControl(model));
  return { status: controls.length > 0 ? 'user responsibility' : 'not covered', controls, evidence };
}

/** API7: integration targets are fixed at synth, and WAF's metadata-SSRF rules block requests carrying such URLs. */
export function assessServerSideRequestForgery(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const controls: string[] = [];
  const clientHosts = model.operations.filter((o) => o.integrationUri !== undefined && /^https?:\/\/[^/]*\{/.test(o.integrationUri));
  for (const o of model.operations.filter((op) => op.integrationType === 'http' || op.integrationType === 'http_proxy')) {
    evidence.push(
      ev(restApiId(model), opSetting(model, o, 'x-amazon-apigateway-integration.uri'), integrationTargetKind(o), !clientHosts.includes(o)),
    );
  }
  if (model.body !== undefined && clientHosts.length === 0)
    controls.push('Integration targets fixed at synth in the imported body; no request value chooses a host');
  const common = model.webAclAssociations.length > 0 ? managedGroupRule(model, 'AWSManagedRulesCommonRuleSet') : undefined;
  const counted = countedRules(common).filter((n) => n.startsWith('EC2MetaDataSSRF'));
  const active = common !== undefined && !groupCounts(common) && counted.length === 0;
  evidence.push(
    ev(
      wafId(model),
      'Rules[AWSManagedRulesCommonRuleSet] EC2MetaDataSSRF_*',
      common === undefined
        ? '(absent)'
        : groupCounts(common)
          ? 'group in COUNT'
          : counted.length > 0
            ? `COUNT: ${counted.join(', ')}`
            : 'BLOCK',
      active,
    ),
  );
  if (active) controls.push('WAF CommonRuleSet EC2MetaDataSSRF rules block metadata-endpoint URLs in the body, query, cookie and path');
  if (model.externalWebAcl !== undefined) controls.push(externalAclControl(model));
  const status: RiskStatus =
    active && clientHosts.length === 0
      ? 'user responsibility'
      : common === undefined && model.externalWebAcl === undefined && clientHosts.length === 0
        ? 'not covered'
        : 'partial';
  return { status, controls, evidence };
}

/** API8: TLS policy, no payload logging, logs on, hardened error responses, the import fails on warnings. */
export function assessMisconfiguration(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const api = propsOf(model.restApi?.[1]);
  const stage = propsOf(model.stage?.[1]);
  const settings = methodSettings(model.stage?.[1]);
  const dataTrace = settings.filter((s) => s.DataTraceEnabled === true);
  evidence.push(
    ev(
      stageId(model),
      'MethodSettings[*].DataTraceEnabled',
      dataTrace.length > 0
        ? dataTrace.map((s) => `${s.ResourcePath} ${s.HttpMethod}: true`)
        : settings.map((s) => s.DataTraceEnabled ?? null),
      dataTrace.length === 0 && model.stage !== undefined,
    ),
  );
  const level = stageWideSettings(model.stage?.[1])?.LoggingLevel;
  evidence.push(ev(stageId(model), 'MethodSettings[/*,*].LoggingLevel', level ?? '(absent)', level === 'ERROR' || level === 'INFO'));
  evidence.push(
    ev(
      stageId(model),
      'AccessLogSetting.DestinationArn',
      isObject(stage.AccessLogSetting) ? stage.AccessLogSetting.DestinationArn : '(absent)',
      isObject(stage.AccessLogSetting),
    ),
  );
  const policy = api.SecurityPolicy;
  const domains = resourcesOfType(model.template, 'AWS::ApiGateway::DomainName').filter(([id]) => model.owned.has(id));
  evidence.push(ev(restApiId(model), 'SecurityPolicy', policy ?? '(absent)', typeof policy === 'string' && policy !== 'TLS_1_0'));
  for (const [id, d] of domains)
    evidence.push(ev(id, 'SecurityPolicy', propsOf(d).SecurityPolicy ?? '(absent)', propsOf(d).SecurityPolicy !== 'TLS_1_0'));
  evidence.push(ev(restApiId(model), 'FailOnWarnings', api.FailOnWarnings ?? '(absent)', api.FailOnWarnings === true));
  const responses = isObject(model.body?.['x-amazon-apigateway-gateway-responses'])
    ? (model.body!['x-amazon-apigateway-gateway-responses'] as { [k: string]: unknown })
    : {};
  const hardened = ['DEFAULT_4XX', 'DEFAULT_5XX'].every((t) => isObject(responses[t]));
  evidence.push(
    ev(
      restApiId(model),
      `${model.bodySetting}.x-amazon-apigateway-gateway-responses[DEFAULT_4XX,DEFAULT_5XX]`,
      hardened ? 'uniform JSON with security headers' : '(absent)',
      hardened,
    ),
  );
  const holdsAll = evidence.every((e) => e.holds);
  const controls = [
    ...(typeof policy === 'string' ? [`TLS security policy ${policy}`] : []),
    ...(dataTrace.length === 0 && model.stage !== undefined ? ['No request/response payload logging (DataTraceEnabled false)'] : []),
    ...(hardened ? ['Uniform gateway responses without internal messages, with HSTS, nosniff and no-store'] : []),
    ...(api.FailOnWarnings === true ? ['The import fails on any API Gateway warning'] : []),
  ];
  return { status: holdsAll ? 'covered' : 'partial', controls, evidence };
}

/** API9: the API is exactly the document; published docs are sanitized and not public. */
export function assessInventory(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const api = propsOf(model.restApi?.[1]);
  evidence.push(
    ev(
      restApiId(model),
      model.bodySetting,
      model.body === undefined ? '(absent)' : `${model.operations.length} operations from the document`,
      model.body !== undefined,
    ),
  );
  evidence.push(ev(restApiId(model), 'FailOnWarnings', api.FailOnWarnings ?? '(absent)', api.FailOnWarnings === true));
  const docs = model.operations.filter((o) => o.operationId.startsWith('secureApiDocs'));
  for (const o of docs) evidence.push(ev(restApiId(model), opSetting(model, o, 'security'), o.security, o.security.length > 0));
  const stages =
    model.restApi === undefined
      ? []
      : resourcesOfType(model.template, 'AWS::ApiGateway::Stage').filter(([, s]) => refersTo(propsOf(s).RestApiId, model.restApi![0]));
  evidence.push(
    ev(
      stageId(model),
      'StageName',
      stages.map(([, s]) => propsOf(s).StageName ?? null),
      stages.length === 1,
    ),
  );
  const controls = [
    ...(model.body !== undefined && api.FailOnWarnings === true
      ? ['Every route comes from the OpenAPI document; the import fails on warnings']
      : []),
    ...(docs.length > 0 && docs.every((o) => o.security.length > 0)
      ? ['Docs served from the sanitized document (x-internal removed), behind authentication']
      : []),
  ];
  return { status: evidence.every((e) => e.holds) ? 'covered' : 'partial', controls, evidence };
}

/** API10: what the API sends to backends is authenticated and encrypted; what it accepts from them is the backend's. */
export function assessUnsafeConsumption(model: ApiModel): Assessment {
  const evidence: Evidence[] = [];
  const http = model.operations.filter((o) => o.integrationType === 'http' || o.integrationType === 'http_proxy');
  const plain = http.filter((o) => o.integrationUri !== undefined && o.integrationUri.startsWith('http://'));
  const certificate = propsOf(model.stage?.[1]).ClientCertificateId;
  evidence.push(ev(stageId(model), 'ClientCertificateId', certificate ?? '(absent)', certificate !== undefined));
  for (const o of http)
    evidence.push(
      ev(restApiId(model), opSetting(model, o, 'x-amazon-apigateway-integration.uri'), integrationTargetKind(o), !plain.includes(o)),
    );
  const controls = [
    ...(certificate !== undefined ? ['A client certificate presented to HTTP backends (they can verify calls come from this API)'] : []),
    ...(http.length > 0 && plain.length === 0 ? ['HTTPS to every HTTP backend'] : []),
  ];
  const status: RiskStatus = plain.length > 0 || (http.length > 0 && certificate === undefined) ? 'partial' : 'user responsibility';
  return { status, controls, evidence };
}

/** The ten risks, in order. */
export const OWASP_API_TOP_10: OwaspRisk[] = [
  {
    id: 'API1:2023',
    title: 'Broken Object Level Authorization',
    assess: assessObjectLevelAuthorization,
    userMustDo: [
      'Check in the backend, on every operation that takes an object id, that the caller (the principalId the authorizer passes) may access that object; never trust ids from the client.',
    ],
  },
  {
    id: 'API2:2023',
    title: 'Broken Authentication',
    assess: assessAuthentication,
    userMustDo: [
      'At the identity provider: short access-token lifetimes, MFA, signing-key rotation, rate limits on its token and login endpoints.',
    ],
  },
  {
    id: 'API3:2023',
    title: 'Broken Object Property Level Authorization',
    assess: assessPropertyLevelAuthorization,
    userMustDo: [
      'Return only the properties each caller may read (API Gateway does not filter responses).',
      'Set additionalProperties: false in request schemas so properties a caller may not set are rejected (mass assignment).',
    ],
  },
  {
    id: 'API4:2023',
    title: 'Unrestricted Resource Consumption',
    assess: assessResourceConsumption,
    userMustDo: [
      'Bound page sizes, timeouts and concurrency in the backend; set reserved concurrency and budgets on backend functions and downstream services.',
    ],
  },
  {
    id: 'API5:2023',
    title: 'Broken Function Level Authorization',
    assess: assessFunctionLevelAuthorization,
    userMustDo: [
      'Declare the scopes of every operation in the document (administrative operations especially), and grant them to clients sparingly at the identity provider.',
    ],
  },
  {
    id: 'API6:2023',
    title: 'Unrestricted Access to Sensitive Business Flows',
    assess: assessBusinessFlows,
    userMustDo: [
      'Identify the sensitive flows (purchase, sign-up, posting, reservations) and limit them per account in the backend.',
      'Give those operations x-secureapi-rate-limit; consider WAF Bot Control or ATP for automated abuse.',
    ],
  },
  {
    id: 'API7:2023',
    title: 'Server Side Request Forgery',
    assess: assessServerSideRequestForgery,
    userMustDo: [
      'In the backend, validate any URL a client supplies against an allow-list, and block link-local and private addresses for outbound calls.',
    ],
  },
  {
    id: 'API8:2023',
    title: 'Security Misconfiguration',
    assess: assessMisconfiguration,
    userMustDo: ['Harden the backend and its runtime the same way: patched dependencies, no verbose errors, least-privilege roles.'],
  },
  {
    id: 'API9:2023',
    title: 'Improper Inventory Management',
    assess: assessInventory,
    userMustDo: [
      'Keep an inventory of APIs, versions and environments; retire old stages and versions; mark internal operations x-internal.',
    ],
  },
  {
    id: 'API10:2023',
    title: 'Unsafe Consumption of APIs',
    assess: assessUnsafeConsumption,
    userMustDo: [
      'Validate and bound what the backend receives from third-party APIs; verify the API Gateway client certificate in HTTP backends.',
    ],
  },
];

/** Evaluates every risk. */
export function evaluateOwasp(model: ApiModel): OwaspFinding[] {
  return OWASP_API_TOP_10.map((risk) => ({ id: risk.id, title: risk.title, ...risk.assess(model), userMustDo: risk.userMustDo }));
}
