import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ApiOperation, JsonObject } from '../model';
import { lambdaInvocationUri } from '../common';
import { SecureApiConfigError } from '../model/config-error';
import { EventBridgeOperationIntegrationOptions, EventBridgePutEventsBinding } from './event-bridge-integration';
import { SqsOperationIntegrationOptions, SqsSendMessageBinding } from './sqs-integration';
import { StepFunctionsOperationIntegrationOptions, StepFunctionsStartExecutionBinding } from './step-functions-integration';
import { VpcLinkTarget } from './vpc-link-target';
import { timeoutMillis } from './integration-timeout';

/** What an integration contributes for one operation. */
export interface OperationIntegrationConfig {
  /** The `x-amazon-apigateway-integration` object written on the operation. */
  readonly integration: JsonObject;
  /** A Lambda function API Gateway must be allowed to invoke (one permission per function, not per method). */
  readonly invokedFunction?: lambda.IFunction;
  /** Protections turned down or things not checkable at synth time, each a synth warning. */
  readonly warnings?: string[];
}

/** Options shared by the Lambda and HTTP integrations. */
export interface IntegrationTimeoutOptions {
  /**
   * How long API Gateway waits for the backend (50 ms to 29 s).
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/** Options for {@link OperationIntegration.lambda}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named struct per factory, so jsii users see one options type each
export interface LambdaOperationIntegrationOptions extends IntegrationTimeoutOptions {}

/** Options for {@link OperationIntegration.http}. */
export interface HttpOperationIntegrationOptions extends IntegrationTimeoutOptions {
  /**
   * Append the operation's path (with its path parameters mapped) to the URL.
   * Turn off when the URL already names the exact backend resource.
   * @default true
   */
  readonly appendPath?: boolean;
}

/** Options for {@link OperationIntegration.vpcLink}. */
export interface VpcLinkOperationIntegrationOptions extends HttpOperationIntegrationOptions {
  /**
   * Accept an `http://` URL: requests then cross the VPC link to the load balancer unencrypted. Leaves a synth warning.
   * @default false - the URL must be https://, and API Gateway verifies the load balancer's certificate against its host
   */
  readonly allowPlainHttp?: boolean;
}

/** Options for {@link OperationIntegration.mock}. */
export interface MockOperationIntegrationOptions {
  /**
   * The status code the mock answers with.
   * @default 200
   */
  readonly statusCode?: number;
}

/**
 * How API Gateway serves an operation. Create one with a static factory:
 * `OperationIntegration.lambda(fn)`, `OperationIntegration.http(url)` or `OperationIntegration.mock()`.
 */
export abstract class OperationIntegration {
  /** A Lambda proxy integration (`aws_proxy`): the function receives the whole request. */
  public static lambda(handler: lambda.IFunction, options: LambdaOperationIntegrationOptions = {}): OperationIntegration {
    return new LambdaProxyIntegration(handler, options);
  }

  /** An HTTP proxy integration to an HTTPS backend. Plain `http://` URLs are rejected: backends are reached over TLS only. */
  public static http(url: string, options: HttpOperationIntegrationOptions = {}): OperationIntegration {
    return new HttpsProxyIntegration(url, options);
  }

  /**
   * An HTTP proxy integration to a private backend: a load balancer inside a VPC, reached through a VPC link
   * (`VpcLinkTarget.v2(link, loadBalancer)`, or `VpcLinkTarget.v1(link)` for a REST VPC link). The URL's host is
   * the `Host` header the backend receives and, with https://, the name its certificate must carry.
   */
  public static vpcLink(target: VpcLinkTarget, url: string, options: VpcLinkOperationIntegrationOptions = {}): OperationIntegration {
    return new VpcLinkProxyIntegration(target, url, options);
  }

  /** A mock integration for prototypes: it answers with an empty JSON object and the given status (200). */
  public static mock(options: MockOperationIntegrationOptions = {}): OperationIntegration {
    return new MockJsonIntegration(options);
  }

  /**
   * Sends the validated JSON body to an SQS queue (`SendMessage`), with the caller's `sub` and `client_id` as
   * message attributes, through a role that may send to this queue only. A FIFO queue needs `messageGroup`.
   */
  public static sqs(queue: sqs.IQueue, options: SqsOperationIntegrationOptions = {}): OperationIntegration {
    return new AwsServiceIntegration(new SqsSendMessageBinding(queue, options));
  }

  /**
   * Puts one event on an EventBridge bus (`PutEvents`), its `detail` the validated body and the caller,
   * through a role that may put events on this bus only.
   */
  public static eventBridge(bus: events.IEventBus, options: EventBridgeOperationIntegrationOptions): OperationIntegration {
    return new AwsServiceIntegration(new EventBridgePutEventsBinding(bus, options));
  }

  /**
   * Starts a Step Functions execution, its input the validated body and the caller, through a role that may
   * start this state machine only: an EXPRESS machine answers synchronously with its output
   * (`StartSyncExecution`), a STANDARD one asynchronously with the execution's id (`StartExecution`).
   */
  public static stepFunctions(
    stateMachine: sfn.IStateMachine,
    options: StepFunctionsOperationIntegrationOptions = {},
  ): OperationIntegration {
    return new AwsServiceIntegration(new StepFunctionsStartExecutionBinding(stateMachine, options));
  }

  /**
   * Produces the integration for one operation. Called once per operation by SecureApi, which passes itself as
   * `scope` (where an integration creates what it needs, such as a credentials role).
   * @jsii ignore its argument is the OpenAPI pipeline's internal operation model; other languages use the static factories.
   */
  public abstract bind(operation: ApiOperation, scope?: Construct): OperationIntegrationConfig;
}

/** An AWS service integration (lib/integrations/service-integration.ts): SQS, EventBridge or Step Functions. */
class AwsServiceIntegration extends OperationIntegration {
  constructor(private readonly binding: { bind(operation: ApiOperation, scope: Construct): OperationIntegrationConfig }) {
    super();
  }

  public bind(operation: ApiOperation, scope?: Construct): OperationIntegrationConfig {
    // Invariant (a bug, not configuration): SecureApi binds every integration with itself as the scope.
    if (scope === undefined) throw new Error(`an AWS service integration needs a scope to create its role ('${operation.operationId}')`);
    return this.binding.bind(operation, scope);
  }
}

class LambdaProxyIntegration extends OperationIntegration {
  constructor(
    private readonly handler: lambda.IFunction,
    private readonly options: LambdaOperationIntegrationOptions,
  ) {
    super();
  }

  public bind(operation: ApiOperation): OperationIntegrationConfig {
    return {
      integration: {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: lambdaInvocationUri(this.handler),
        passthroughBehavior: 'when_no_match',
        timeoutInMillis: timeoutMillis(this.options.timeout, `OperationIntegration.lambda for '${operation.operationId}'`),
      },
      invokedFunction: this.handler,
    };
  }
}

class HttpsProxyIntegration extends OperationIntegration {
  constructor(
    private readonly url: string,
    private readonly options: HttpOperationIntegrationOptions,
    protected readonly factory: string = 'OperationIntegration.http',
    allowPlainHttp = false,
  ) {
    super();
    if (!Token.isUnresolved(url)) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new SecureApiConfigError('', 'integrations', `${factory} URL '${url}' is not a valid URL`);
      }
      if (parsed.protocol !== 'https:' && !(allowPlainHttp && parsed.protocol === 'http:')) {
        throw new SecureApiConfigError(
          '',
          'integrations',
          `${factory} URL '${url}' must use https:// (backends are reached over TLS only)`,
        );
      }
    }
  }

  public bind(operation: ApiOperation): OperationIntegrationConfig {
    const appendPath = this.options.appendPath ?? true;
    const base = this.url.replace(/\/+$/, '');
    const pathParameters = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    const requestParameters: JsonObject = {};
    if (appendPath) {
      for (const name of pathParameters) {
        requestParameters[`integration.request.path.${name}`] = `method.request.path.${name}`;
      }
    }
    const integration: JsonObject = {
      type: 'http_proxy',
      httpMethod: operation.method.toUpperCase(),
      uri: appendPath ? `${base}${operation.path.replace(/\{([^}+]+)\+\}/g, '{$1}')}` : this.url,
      connectionType: 'INTERNET',
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: timeoutMillis(this.options.timeout, `${this.factory} for '${operation.operationId}'`),
    };
    if (Object.keys(requestParameters).length > 0) integration.requestParameters = requestParameters;
    return { integration };
  }
}

/**
 * The HTTP proxy through a VPC link: the same path, parameters, timeout and TLS as `http()`, sent over the link
 * (`connectionType: VPC_LINK`) to the link's load balancer, or to `integrationTarget` for a VPC link V2.
 */
class VpcLinkProxyIntegration extends HttpsProxyIntegration {
  constructor(
    private readonly target: VpcLinkTarget,
    private readonly targetUrl: string,
    private readonly vpcLinkOptions: VpcLinkOperationIntegrationOptions,
  ) {
    super(targetUrl, vpcLinkOptions, 'OperationIntegration.vpcLink', vpcLinkOptions.allowPlainHttp === true);
  }

  public override bind(operation: ApiOperation): OperationIntegrationConfig {
    const what = `OperationIntegration.vpcLink for '${operation.operationId}'`;
    if (this.target === undefined) throw new SecureApiConfigError('', 'integrations', `${what} names no VPC link target`);
    const bound = this.target.bind(what);
    const config = super.bind(operation);
    const plain = !Token.isUnresolved(this.targetUrl) && this.targetUrl.startsWith('http:');
    return {
      ...config,
      integration: {
        ...config.integration,
        connectionType: 'VPC_LINK',
        connectionId: bound.connectionId,
        ...(bound.integrationTarget !== undefined ? { integrationTarget: bound.integrationTarget } : {}),
      },
      warnings: [
        ...bound.unverified,
        ...(plain && this.vpcLinkOptions.allowPlainHttp === true
          ? [`${what}: allowPlainHttp sends requests to ${this.targetUrl} unencrypted across the VPC link`]
          : []),
      ],
    };
  }
}

class MockJsonIntegration extends OperationIntegration {
  constructor(private readonly options: MockOperationIntegrationOptions) {
    super();
    const status = options.statusCode ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new SecureApiConfigError(
        '',
        'integrations',
        `OperationIntegration.mock statusCode must be an HTTP status between 200 and 599, got ${status}`,
      );
    }
  }

  public bind(_operation: ApiOperation): OperationIntegrationConfig {
    const statusCode = String(this.options.statusCode ?? 200);
    return {
      integration: {
        type: 'mock',
        // 'never' answers 415 to a Content-Type with no template instead of passing the body through.
        passthroughBehavior: 'never',
        requestTemplates: { 'application/json': `{"statusCode": ${statusCode}}` },
        responses: { default: { statusCode, responseTemplates: { 'application/json': '{}' } } },
      },
    };
  }
}
