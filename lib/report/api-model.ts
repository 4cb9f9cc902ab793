import { CfnResource, CfnTemplate, isIntrinsic, isObject, propsOf, referencedId, refersTo, resourcesOfType, show } from './template';
import type { AuthMechanism } from '../model';

/** A synth warning (annotation) left by SecureApi or one of its parts. */
export interface ReportWarning {
  /** The stable id, e.g. `cdk-secure-api:waf-disabled`. */
  readonly id: string;
  readonly message: string;
}

/** What the report is computed from: the final template, and the few facts only the construct knows. */
export interface ReportInput {
  /** The stack's artifact id. */
  readonly stack: string;
  /** The SecureApi's construct path inside the stack. */
  readonly path: string;
  /** The stack's synthesized template, as written to the cloud assembly. */
  readonly template: CfnTemplate;
  /** Logical ids of the resources inside the SecureApi construct. */
  readonly ownedResources: string[];
  /** The warnings SecureApi and its parts left at synth. */
  readonly warnings: ReportWarning[];
  /** The API body, when the template includes it from S3 (`AWS::Include`) rather than inline. */
  readonly includedBody?: unknown;
  /** The authorizer scope maps (`METHOD /path` → scope alternatives), by the authorizer function's logical id. */
  readonly authorizerRoutes?: { readonly [functionLogicalId: string]: { readonly [route: string]: string[][] } };
}

/** One operation as the imported body defines it. */
export interface OperationView {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** The operation's `security` requirements (empty: public). */
  readonly security: Array<{ [scheme: string]: string[] }>;
  /** Some requirement names the Lambda authorizer. */
  readonly authorizer: boolean;
  /** What authenticates the caller, read from the body's scheme: IAM, SecureApi's JWT authorizer, another Lambda or a Cognito authorizer, or nothing. */
  readonly mechanism: AuthMechanism;
  /** Some requirement names an API key scheme. */
  readonly apiKey: boolean;
  /** The scope alternatives the authorizer enforces; undefined when the scope map cannot be read. */
  readonly scopes?: string[][];
  /** What the operation's request validator checks; undefined when it has none. */
  readonly validator?: { readonly body: boolean; readonly params: boolean };
  /** Media types of the request body. */
  readonly bodyMediaTypes: string[];
  /** Media types of the request body with no model to validate against (API Gateway lets them through). */
  readonly unmodelledMediaTypes: string[];
  readonly integrationType?: string;
  /** The integration URI when it is a literal string (HTTP integrations). */
  readonly integrationUri?: string;
  /** `VPC_LINK` for a backend reached through a VPC link, else absent (`INTERNET`). */
  readonly integrationConnection?: string;
  /**
   * For an AWS service integration (`type: aws`): the service and action it calls, as `SQS SendMessage`,
   * `EventBridge PutEvents`, `Step Functions StartSyncExecution`. Never the resource: the URI names the account.
   */
  readonly awsService?: string;
}

/** The parts of the template that make up one SecureApi, located by their references. */
export interface ApiModel {
  readonly input: ReportInput;
  readonly template: CfnTemplate;
  readonly owned: Set<string>;
  readonly restApi?: [string, CfnResource];
  readonly stage?: [string, CfnResource];
  /** The import body (inline or included), when it can be read. */
  readonly body?: { [key: string]: unknown };
  readonly bodySetting: string;
  readonly operations: OperationView[];
  /** Authorizer function logical ids named by the body's authorizer schemes. */
  readonly authorizerFunctions: string[];
  readonly authorizerSchemes: Array<[string, { [key: string]: unknown }]>;
  /** WebACLAssociations in the template that reference the stage. */
  readonly webAclAssociations: Array<[string, CfnResource]>;
  /** The associated web ACL, when it is in the template. */
  readonly webAcl?: [string, CfnResource];
  /** The ARN of an associated web ACL that is not in the template (`waf.webAclArn`): its rules cannot be judged here. */
  readonly externalWebAcl?: string;
  readonly wafLogging?: [string, CfnResource];
  readonly usagePlans: Array<[string, CfnResource]>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'x-amazon-apigateway-any-method'];

/** Locates the SecureApi's REST API, stage, body, web ACL and usage plans in the template. */
export function readApiModel(input: ReportInput): ApiModel {
  const template = input.template;
  const owned = new Set(input.ownedResources);
  const ownedOfType = (type: string) => resourcesOfType(template, type).filter(([id]) => owned.has(id));
  const restApi = ownedOfType('AWS::ApiGateway::RestApi')[0];
  const stages =
    restApi === undefined
      ? []
      : resourcesOfType(template, 'AWS::ApiGateway::Stage').filter(([, r]) => refersTo(propsOf(r).RestApiId, restApi[0]));
  const stage = stages.find(([id]) => owned.has(id)) ?? stages[0];

  const rawBody = restApi === undefined ? undefined : propsOf(restApi[1]).Body;
  const included = isObject(rawBody) && 'Fn::Transform' in rawBody;
  const body = included ? (isObject(input.includedBody) ? input.includedBody : undefined) : isObject(rawBody) ? rawBody : undefined;
  const bodySetting = included ? 'Body (AWS::Include from S3)' : 'Body';

  const schemes = securitySchemes(body);
  const authorizerSchemes = Object.entries(schemes)
    .filter(([, s]) => isObject(s['x-amazon-apigateway-authorizer']))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const apiKeySchemes = new Set(
    Object.entries(schemes)
      .filter(
        ([, s]) => s.type === 'apiKey' && !isObject(s['x-amazon-apigateway-authorizer']) && s['x-amazon-apigateway-authtype'] === undefined,
      )
      .map(([n]) => n),
  );
  const authorizerFunctionByScheme = new Map<string, string | undefined>();
  for (const [name, scheme] of authorizerSchemes)
    authorizerFunctionByScheme.set(
      name,
      findReferencedId((scheme['x-amazon-apigateway-authorizer'] as { [k: string]: unknown }).authorizerUri, template),
    );
  const authorizerFunctions = [...new Set([...authorizerFunctionByScheme.values()].filter((v): v is string => v !== undefined))].sort();

  const operations: OperationView[] = [];
  const validators = isObject(body?.['x-amazon-apigateway-request-validators'])
    ? (body!['x-amazon-apigateway-request-validators'] as { [k: string]: unknown })
    : {};
  const defaultValidator = body?.['x-amazon-apigateway-request-validator'];
  const paths = isObject(body?.paths) ? (body!.paths as { [k: string]: unknown }) : {};
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const integration = isObject(op['x-amazon-apigateway-integration']) ? op['x-amazon-apigateway-integration'] : {};
      // CORS preflights: mock OPTIONS methods that answer browsers before any credential is sent.
      if (method === 'options' && integration.type === 'mock' && op.operationId === undefined) continue;
      const security = Array.isArray(op.security) ? (op.security.filter(isObject) as Array<{ [scheme: string]: string[] }>) : [];
      const authorizerScheme = security.flatMap((r) => Object.keys(r)).find((n) => authorizerFunctionByScheme.has(n));
      const fn = authorizerScheme === undefined ? undefined : authorizerFunctionByScheme.get(authorizerScheme);
      const routes = fn === undefined ? undefined : input.authorizerRoutes?.[fn];
      const routeKey = `${method.toUpperCase()} ${path}`;
      const validatorName = op['x-amazon-apigateway-request-validator'] ?? defaultValidator;
      const validator =
        typeof validatorName === 'string' && isObject(validators[validatorName])
          ? (validators[validatorName] as { [k: string]: unknown })
          : undefined;
      const content = isObject(op.requestBody) && isObject(op.requestBody.content) ? op.requestBody.content : {};
      const requestBody = Object.keys(content).sort();
      operations.push({
        operationId: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        security,
        authorizer: authorizerScheme !== undefined,
        mechanism: mechanismOf(security, schemes),
        apiKey: security.some((r) => Object.keys(r).some((n) => apiKeySchemes.has(n))),
        scopes: routes === undefined ? undefined : (routes[routeKey] ?? []),
        validator:
          validator === undefined
            ? undefined
            : { body: validator.validateRequestBody === true, params: validator.validateRequestParameters === true },
        bodyMediaTypes: requestBody,
        unmodelledMediaTypes: requestBody.filter((type) => !(isObject(content[type]) && content[type].schema !== undefined)),
        integrationType: typeof integration.type === 'string' ? integration.type : undefined,
        integrationUri: typeof integration.uri === 'string' ? integration.uri : undefined,
        integrationConnection: typeof integration.connectionType === 'string' ? integration.connectionType : undefined,
        awsService: integration.type === 'aws' ? awsServiceOf(integration.uri) : undefined,
      });
    }
  }

  const webAclAssociations =
    stage === undefined
      ? []
      : resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation').filter(([, r]) => refersTo(propsOf(r).ResourceArn, stage[0]));
  const webAclId = webAclAssociations
    .map(([, r]) => referencedId(propsOf(r).WebACLArn))
    .find((id) => id !== undefined && template.Resources?.[id] !== undefined);
  const webAcl: [string, CfnResource] | undefined = webAclId === undefined ? undefined : [webAclId, template.Resources![webAclId]];
  const externalWebAcl =
    webAcl === undefined && webAclAssociations.length > 0 ? show(propsOf(webAclAssociations[0][1]).WebACLArn) : undefined;
  const wafLogging =
    webAcl === undefined
      ? undefined
      : resourcesOfType(template, 'AWS::WAFv2::LoggingConfiguration').find(([, r]) => refersTo(propsOf(r).ResourceArn, webAcl[0]));
  const usagePlans =
    restApi === undefined
      ? []
      : resourcesOfType(template, 'AWS::ApiGateway::UsagePlan').filter(
          ([, r]) => Array.isArray(propsOf(r).ApiStages) && refersTo(propsOf(r).ApiStages, restApi[0]),
        );

  return {
    input,
    template,
    owned,
    restApi,
    stage,
    body,
    bodySetting,
    operations,
    authorizerFunctions,
    authorizerSchemes,
    webAclAssociations,
    webAcl,
    externalWebAcl,
    wafLogging,
    usagePlans,
  };
}

function securitySchemes(body: { [key: string]: unknown } | undefined): { [name: string]: { [key: string]: unknown } } {
  const components = isObject(body?.components) ? (body!.components as { [k: string]: unknown }) : {};
  const schemes = isObject(components.securitySchemes)
    ? components.securitySchemes
    : isObject(body?.securityDefinitions)
      ? body!.securityDefinitions
      : {};
  return Object.fromEntries(Object.entries(schemes as { [k: string]: unknown }).filter(([, s]) => isObject(s))) as {
    [name: string]: { [key: string]: unknown };
  };
}

/** The first resource of the template referenced (through Ref/GetAtt) anywhere in a value; pseudo parameters are skipped. */
export function findReferencedId(value: unknown, template: CfnTemplate): string | undefined {
  const direct = referencedId(value);
  if (direct !== undefined && template.Resources?.[direct] !== undefined) return direct;
  const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  for (const child of children) {
    const id = findReferencedId(child, template);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The stage's method settings for all methods (`/*` + `*`), where SecureApi puts its stage-wide defaults. */
export function stageWideSettings(stage: CfnResource | undefined): { [key: string]: unknown } | undefined {
  const settings = propsOf(stage).MethodSettings;
  if (!Array.isArray(settings)) return undefined;
  return settings.filter(isObject).find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
}

/** Every method setting of the stage. */
export function methodSettings(stage: CfnResource | undefined): Array<{ [key: string]: unknown }> {
  const settings = propsOf(stage).MethodSettings;
  return Array.isArray(settings) ? settings.filter(isObject) : [];
}

/** The JWT authorizer's runtime configuration from its function's environment, when it is a literal. */
export function authorizerConfig(model: ApiModel): [string, { [key: string]: unknown }] | undefined {
  for (const id of model.authorizerFunctions) {
    const env = propsOf(model.template.Resources?.[id]).Environment;
    const raw = isObject(env) && isObject(env.Variables) ? env.Variables.SECUREAPI_AUTHORIZER_CONFIG : undefined;
    if (typeof raw !== 'string' || isIntrinsic(raw)) continue;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) return [id, parsed];
    } catch {
      // An overridden, unreadable configuration is judged as absent.
    }
  }
  return undefined;
}

/** The web ACL's rules, in priority order. */
export function webAclRules(model: ApiModel): Array<{ [key: string]: unknown }> {
  const rules = propsOf(model.webAcl?.[1]).Rules;
  return Array.isArray(rules)
    ? (rules.filter(isObject) as Array<{ [key: string]: unknown }>).sort((a, b) => Number(a.Priority) - Number(b.Priority))
    : [];
}

/** The managed rule group a rule runs, e.g. `AWSManagedRulesCommonRuleSet`. */
export function managedGroupName(rule: { [key: string]: unknown }): string | undefined {
  const statement = isObject(rule.Statement) ? rule.Statement : {};
  const managed = isObject(statement.ManagedRuleGroupStatement) ? statement.ManagedRuleGroupStatement : undefined;
  return typeof managed?.Name === 'string' ? managed.Name : undefined;
}

/** Whether a statement (or any statement nested in it) has a key, e.g. `RateBasedStatement`. */
export function statementHas(statement: unknown, key: string): boolean {
  if (!isObject(statement)) return Array.isArray(statement) && statement.some((s) => statementHas(s, key));
  if (key in statement) return true;
  return Object.values(statement).some((v) => statementHas(v, key));
}

/**
 * The mechanism of an operation from the schemes its first requirement names (API Gateway reads only
 * that one): `awsSigv4` is IAM, `cognito_user_pools` the native Cognito authorizer, SecureApi's own
 * authorizer schemes (`SecureApiJwtAuth*`) the JWT authorizer, any other authorizer a Lambda.
 */
export function mechanismOf(
  security: ReadonlyArray<{ [scheme: string]: string[] }>,
  schemes: { [name: string]: { [key: string]: unknown } },
): AuthMechanism {
  for (const name of Object.keys(security[0] ?? {}).sort()) {
    const scheme = schemes[name];
    if (!isObject(scheme)) continue;
    const authType = String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase();
    if (authType === 'awssigv4') return 'iam';
    if (authType === 'cognito_user_pools') return 'cognitoUserPool';
    if (isObject(scheme['x-amazon-apigateway-authorizer'])) return name.startsWith('SecureApiJwtAuth') ? 'jwt' : 'lambda';
  }
  return 'none';
}

const AWS_SERVICE_NAMES: { readonly [service: string]: string } = { sqs: 'SQS', events: 'EventBridge', states: 'Step Functions' };

/**
 * The service and action of an `aws` integration URI (`arn:<partition>:apigateway:<region>:<service>:action/<Action>`
 * or `:sqs:path/<account>/<queue>`), read from its literal parts (the URI is usually an `Fn::Join`).
 */
export function awsServiceOf(uri: unknown): string {
  const text = literalText(uri);
  const match = /:apigateway:[^:]*:([a-z0-9-]+):(action\/([A-Za-z]+)|path\/)/.exec(text);
  if (match === null) return 'an AWS service';
  const service = AWS_SERVICE_NAMES[match[1]] ?? match[1];
  return match[3] !== undefined ? `${service} ${match[3]}` : service === 'SQS' ? 'SQS SendMessage' : service;
}

/** The literal text of a string or `Fn::Join`, with each intrinsic part written as `x`. */
function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value) && Array.isArray(value['Fn::Join']) && Array.isArray(value['Fn::Join'][1])) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => (typeof p === 'string' ? p : 'x')).join(typeof separator === 'string' ? separator : '');
  }
  return '';
}

/**
 * What the report shows of an HTTP integration's target: its scheme and how it is reached, never the host or
 * path (an internal hostname behind a VPC link is not for a report that is passed around); a host that a request
 * value fills in is named as such, since that is what an SSRF review needs to see.
 */
export function integrationTargetKind(operation: Pick<OperationView, 'integrationUri' | 'integrationConnection'>): string {
  const uri = operation.integrationUri;
  if (uri === undefined) return '(intrinsic)';
  const scheme = /^([a-z]+):\/\//i.exec(uri)?.[1]?.toLowerCase() ?? 'unknown scheme';
  const via = operation.integrationConnection === 'VPC_LINK' ? ' over a VPC link' : '';
  const host = /^[a-z]+:\/\/[^/]*\{/i.test(uri) ? ' (host from a request value)' : '';
  return `${scheme} backend${via}${host}`;
}
