import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeDeployTimeSourceAccount, lambdaInvocationUri } from '../common';
import { PropCheck } from '../model/config-error';
import { JsonObject } from '../openapi';

/** Props of `Auth.lambda`: your own function as API Gateway's REQUEST authorizer. */
export interface LambdaAuthProps {
  /**
   * The authorizer function. It receives API Gateway's REQUEST authorizer event and returns an IAM policy
   * (and optionally a `context` and `usageIdentifierKey`). It must be in the API's account.
   */
  readonly handler: lambda.IFunction;
  /**
   * Where the caller's identity is read from: `method.request.header.<name>`, `method.request.querystring.<name>`,
   * `stageVariables.<name>` or `context.<variable>`. They are also the cache key, and a request missing one
   * gets 401 without invoking the function.
   * @default ['method.request.header.Authorization']
   */
  readonly identitySources?: string[];
  /**
   * How long API Gateway caches the function's answer (0 turns the cache off). At most one hour.
   * @default Duration.minutes(5)
   */
  readonly resultCacheTtl?: Duration;
  /**
   * Add the operation (`context.httpMethod` and `context.resourcePath`) to the cache key, so that a policy the
   * function returned for one operation is never reused for another. Turn this off only when the function's
   * policy is valid for every operation the caller may call (a synth warning says so).
   * @default true
   */
  readonly cacheKeyIncludesOperation?: boolean;
}

/** The identity sources that put the operation into the cache key of a REQUEST authorizer. */
export const OPERATION_IDENTITY_SOURCES = ['context.httpMethod', 'context.resourcePath'];

const IDENTITY_SOURCE =
  /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;

/** The checked configuration of one Lambda authorizer. */
export interface LambdaAuthorizerPlan {
  readonly identitySource: string;
  readonly resultCacheTtlSeconds: number;
  /** Set when the cache is shared between operations: the synth warning to give. */
  readonly sharedCacheWarning?: string;
}

/** Checks the props and works out the identity sources (the cache key): the operation is part of it unless turned off. */
export function planLambdaAuthorizer(props: LambdaAuthProps, check: PropCheck, where: string): LambdaAuthorizerPlan {
  const ttl = props.resultCacheTtl?.toSeconds() ?? 300;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) check.fail('resultCacheTtl', `must be whole seconds from 0 to 3600, got ${ttl}`);
  const sources = [...(props.identitySources ?? ['method.request.header.Authorization'])];
  sources.forEach((source, i) => {
    if (!Token.isUnresolved(source) && !IDENTITY_SOURCE.test(source))
      check.fail(
        `identitySources[${i}]`,
        `must be method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>, got '${source}'`,
      );
  });
  if (new Set(sources).size !== sources.length) check.fail('identitySources', 'must not repeat a source');
  const byOperation = props.cacheKeyIncludesOperation !== false;
  if (byOperation) for (const source of OPERATION_IDENTITY_SOURCES) if (!sources.includes(source)) sources.push(source);
  const callerSources = sources.filter((s) => !OPERATION_IDENTITY_SOURCES.includes(s));
  if (callerSources.length === 0 && ttl > 0) {
    check.fail(
      'identitySources',
      'must name at least one source of the caller (a header, query string or stage variable) while the cache is on: otherwise every caller would share one cached answer',
    );
  }
  return {
    identitySource: sources.join(', '),
    resultCacheTtlSeconds: ttl,
    sharedCacheWarning:
      !byOperation && ttl > 0
        ? `${where}: auth cacheKeyIncludesOperation is false, so API Gateway reuses the Lambda authorizer's cached policy for every operation it protects for ${ttl} s: the policy your function returns for one operation decides the others. Return a policy that lists exactly what the caller may call, or keep the operation in the cache key`
        : undefined,
  };
}

/** The `x-amazon-apigateway-authorizer` security scheme of a REQUEST authorizer running `handler`. */
export function lambdaAuthorizerScheme(handler: lambda.IFunction, plan: LambdaAuthorizerPlan): JsonObject {
  const header = plan.identitySource
    .split(', ')
    .find((s) => s.startsWith('method.request.header.'))
    ?.slice('method.request.header.'.length);
  return {
    type: 'apiKey',
    name: header ?? 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      identitySource: plan.identitySource,
      authorizerUri: lambdaInvocationUri(handler),
      authorizerResultTtlInSeconds: plan.resultCacheTtlSeconds,
    },
  };
}

/**
 * Lets API Gateway invoke `handler` as an authorizer of `api` only, and only from this account
 * (`SourceAccount`, AWS Control Tower CT.LAMBDA.PR.2). The permission is created next to the API, not with
 * `handler.addPermission`: that would put it in the function's stack (a dependency cycle when the function
 * lives in another stack) and do nothing for an imported function.
 */
export function grantAuthorizerInvoke(scope: Construct, id: string, handler: lambda.IFunction, api: apigw.IRestApi): lambda.CfnPermission {
  const permission = new lambda.CfnPermission(scope, `${id}InvokeBy${Names.nodeUniqueId(api.node).slice(-8)}`, {
    action: 'lambda:InvokeFunction',
    functionName: handler.functionArn,
    principal: 'apigateway.amazonaws.com',
    sourceArn: Stack.of(api).formatArn({ service: 'execute-api', resource: api.restApiId, resourceName: 'authorizers/*' }),
    sourceAccount: Stack.of(api).account,
  });
  acknowledgeDeployTimeSourceAccount(permission);
  return permission;
}
