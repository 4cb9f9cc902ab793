import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import { timeoutMillis } from './integration-timeout';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { HTTP_ERRORS, SECURITY_HEADERS } from '../../contracts/http-responses';
import { LeastPrivilegeRole } from '../common';
import { ApiOperation, JsonObject } from '../model';
import { SecureApiConfigError } from '../model/config-error';
import { errorTemplate } from './mapping-templates';

/**
 * What SQS, EventBridge and Step Functions integrations share: an `aws` (non-proxy) integration with its own
 * credentials role, a request template for each JSON media type only (`passthroughBehavior: never`, so any other
 * Content-Type gets 415 and never reaches the service), and responses mapped to the API's own shapes.
 * Service errors are selected by status code (`selectionPattern`) and answered with the uniform error body:
 * no AWS error text, ARN or account id reaches the client.
 */

/** One AWS service integration, bound for one operation. */
export interface ServiceIntegrationSpec {
  readonly operation: ApiOperation;
  /** `OperationIntegration.sqs` ..., for error messages. */
  readonly factory: string;
  /** The service's API Gateway name (`sqs`, `events`, `states`) and the `action/...` or `path/...` part. */
  readonly service: string;
  readonly target: string;
  readonly region: string;
  readonly role: iam.IRole;
  readonly requestTemplate: string;
  /** Static request headers (`X-Amz-Target`, `Content-Type`). */
  readonly requestHeaders: { [name: string]: string };
  /** The success status when the operation declares no 2xx. */
  readonly defaultSuccessStatus: string;
  readonly successTemplate: string;
  readonly timeout?: Duration;
}

/** The `x-amazon-apigateway-integration` object of an AWS service integration. */
export function serviceIntegration(spec: ServiceIntegrationSpec): JsonObject {
  const requestParameters: JsonObject = {};
  for (const name of Object.keys(spec.requestHeaders).sort()) {
    requestParameters[`integration.request.header.${name}`] = `'${spec.requestHeaders[name]}'`;
  }
  const requestTemplates: JsonObject = {};
  for (const mediaType of jsonMediaTypes(spec.operation)) requestTemplates[mediaType] = spec.requestTemplate;
  // Every answer, success or mapped error, carries the security headers the gateway responses carry.
  const answer = (statusCode: string, template: string) => ({
    statusCode,
    responseParameters: securityHeaderParameters(),
    responseTemplates: { 'application/json': template },
  });
  return {
    type: 'aws',
    httpMethod: 'POST',
    uri: `arn:${Stack.of(spec.role).partition}:apigateway:${spec.region}:${spec.service}:${spec.target}`,
    credentials: spec.role.roleArn,
    passthroughBehavior: 'never',
    requestParameters,
    requestTemplates,
    timeoutInMillis: timeoutMillis(spec.timeout, `${spec.factory} for '${spec.operation.operationId}'`),
    responses: {
      default: answer(successStatus(spec.operation, spec.defaultSuccessStatus), spec.successTemplate),
      // The service refused (throttled, misconfigured, its own fault): the client sees a 502, never the service's text.
      '4\\d{2}': answer('502', errorTemplate(HTTP_ERRORS.badGateway)),
      '5\\d{2}': answer('502', errorTemplate(HTTP_ERRORS.badGateway)),
    },
  };
}

/**
 * The security headers of contracts/http-responses.ts as static integration response parameters
 * (`method.response.header.<name>` = `'<value>'`); the import body declares them on the method responses.
 */
export function securityHeaderParameters(): { [parameter: string]: string } {
  const out: { [parameter: string]: string } = {};
  for (const name of Object.keys(SECURITY_HEADERS).sort()) out[`method.response.header.${name}`] = `'${SECURITY_HEADERS[name]}'`;
  return out;
}

/** The operation's first declared 2xx status, else `fallback`. */
export function successStatus(operation: ApiOperation, fallback: string): string {
  return (operation.responses ?? []).map((r) => r.status).find((s) => /^2\d\d$/.test(s)) ?? fallback;
}

/**
 * The media types that get a template: each JSON media type the operation declares with a schema, and
 * `application/json` (what API Gateway assumes for a request without Content-Type). Nothing else: with
 * `passthroughBehavior: never` every other Content-Type is answered 415.
 */
export function jsonMediaTypes(operation: ApiOperation): string[] {
  const declared = Object.keys(operation.requestBody?.modelsByContentType ?? {});
  return [...new Set(['application/json', ...declared])].sort();
}

/**
 * Whether the operation sends a body to the service: only a JSON body validated against a schema may. An
 * operation with a body API Gateway cannot validate is a synth error; `bodyRequired` makes a missing body one too.
 */
export function sendsValidatedBody(operation: ApiOperation, factory: string, bodyRequired: boolean): boolean {
  const body = operation.requestBody;
  if (body !== undefined && body.jsonModelName === undefined) {
    throw new SecureApiConfigError(
      '',
      'integrations',
      `${factory} for '${operation.operationId}' sends only a validated JSON body: declare an application/json request body with a schema`,
    );
  }
  if (body === undefined && bodyRequired) {
    throw new SecureApiConfigError(
      '',
      'integrations',
      `${factory} for '${operation.operationId}' needs a request body to send: declare an application/json request body with a schema`,
    );
  }
  return body !== undefined;
}

/**
 * The credentials role for one action on one resource, shared by every operation of this SecureApi that
 * uses the same target: assumed by API Gateway only, its permissions in one managed policy (LeastPrivilegeRole),
 * each statement naming exact resources.
 */
export function serviceRole(scope: Construct, target: IConstruct, action: string, statements: iam.PolicyStatement[]): iam.IRole {
  const parent = (scope.node.tryFindChild('Integrations') as Construct | undefined) ?? new Construct(scope, 'Integrations');
  const id = `${action}${Names.nodeUniqueId(target.node)}`;
  const existing = parent.node.tryFindChild(id) as iam.IRole | undefined;
  if (existing !== undefined) return existing;
  const role = new LeastPrivilegeRole(parent, id, {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: `API Gateway calls ${action} on one resource for ${scope.node.path}`,
  });
  for (const statement of statements) role.addToPrincipalPolicy(statement);
  return role;
}

/** A synth-time value written into a template: a literal of letters, digits and `._-/: ` (no VTL or JSON syntax). */
export function checkTemplateLiteral(value: string, factory: string, field: string, maxLength: number): void {
  if (Token.isUnresolved(value) || !/^[A-Za-z0-9._\-/: ]+$/.test(value) || value.length > maxLength) {
    throw new SecureApiConfigError(
      '',
      'integrations',
      `${factory} ${field} must be a literal of 1 to ${maxLength} letters, digits, spaces and . _ - / :, got '${value}'`,
    );
  }
}
