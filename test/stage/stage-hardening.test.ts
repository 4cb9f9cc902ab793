import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { documentRaises, hardenStage, methodSettingsOf, validateThrottle } from '../../lib/stage';
import { ApiOperation, JsonObject } from '../../lib/model';
import { PropCheck } from '../../lib/model/config-error';
import { apiOperation } from '../support/api-operation';

const op = (operationId: string, path: string, method: ApiOperation['method'], extensions: JsonObject = {}) =>
  apiOperation(operationId, method, path, { extensions });
const destination = { bind: () => ({ destinationArn: 'arn:aws:logs:eu-west-1:111111111111:log-group:x' }) } as apigw.IAccessLogDestination;
const format = apigw.AccessLogFormat.custom('{"requestId":"$context.requestId"}');
const harden = (options = {}, operations: ApiOperation[] = [op('listPets', '/pets', 'get')]) =>
  hardenStage({ apiName: 'Api', options, operations, accessLogDestination: destination, accessLogFormat: format });

describe('hardenStage', () => {
  it('defaults to throttling, X-Ray, ERROR execution logs without data trace, metrics, no cache', () => {
    const { stageOptions, weakened } = harden();
    expect(stageOptions).toMatchObject({
      stageName: 'v1',
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      tracingEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
      cachingEnabled: false,
      cacheClusterEnabled: false,
    });
    expect(weakened).toEqual([]);
  });

  it('reports every protection turned off', () => {
    const { weakened } = harden({
      dataTrace: true,
      tracing: false,
      executionLogLevel: apigw.MethodLoggingLevel.OFF,
      clientCertificate: false,
    });
    expect(weakened).toHaveLength(4);
    expect(weakened.join('\n')).toContain('data trace is on');
  });

  it('encrypts the cache whenever it is turned on', () => {
    const { stageOptions } = harden({ cache: { ttl: Duration.minutes(1) } });
    // The cluster and encryption are on; the stage-wide entry never caches, each cached operation has its own entry.
    expect(stageOptions).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cachingEnabled: false,
      cacheDataEncrypted: true,
    });
    expect(stageOptions.methodOptions!['/pets/GET']).toMatchObject({ cachingEnabled: true, cacheDataEncrypted: true });
    expect(stageOptions.methodOptions!['/pets/GET'].cacheTtl!.toSeconds()).toBe(60);
    expect(() => harden({ cache: { size: '3' } })).toThrow(
      "stage.cache.size must be one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, got '3'",
    );
  });

  it('throttles single operations from props and from x-secureapi-throttling, props first', () => {
    const operations = [
      op('listPets', '/pets', 'get', { 'x-secureapi-throttling': { rateLimit: 5, burstLimit: 10 } }),
      op('createPet', '/pets', 'post'),
    ];
    const { stageOptions } = harden({ throttling: { operations: { createPet: { rateLimit: 2 } } } }, operations);
    const inherited = {
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
      cachingEnabled: false,
    };
    expect(stageOptions.methodOptions).toEqual({
      '/pets/GET': { throttlingRateLimit: 5, throttlingBurstLimit: 10, ...inherited },
      '/pets/POST': { throttlingRateLimit: 2, throttlingBurstLimit: 200, ...inherited },
    });
  });

  it('rejects out-of-range throttling values and unknown operationIds, naming the prop', () => {
    expect(() => harden({ throttling: { rateLimit: -1 } })).toThrow(
      "SecureApi 'Api': stage.throttling.rateLimit must be a number greater than 0 and at most 10000",
    );
    expect(() => harden({ throttling: { burstLimit: 1.5 } })).toThrow('stage.throttling.burstLimit must be a whole number from 0 to 5000');
    expect(() => harden({ throttling: { operations: { nope: { rateLimit: 1 } } } })).toThrow(
      'stage.throttling.operations names unknown operationIds: nope',
    );
    expect(() => harden({}, [op('listPets', '/pets', 'get', { 'x-secureapi-throttling': 'fast' })])).toThrow(
      "SecureApi 'Api': openApi operation 'listPets'.x-secureapi-throttling must be an object",
    );
    expect(() => validateThrottle({ rateLimit: Number.NaN }, new PropCheck('Api', 'x'))).toThrow(
      "SecureApi 'Api': x.rateLimit must be a number",
    );
  });
});

describe('per-operation throttles (abuse cases, issue 19 #3)', () => {
  const login = (rateLimit: number, burstLimit?: number) =>
    op('login', '/login', 'post', { 'x-secureapi-throttling': { rateLimit, ...(burstLimit === undefined ? {} : { burstLimit }) } });

  it("refuses a document that lifts one operation's throttle above the stage limit without the stack's opt-in", () => {
    expect(() => harden({}, [login(10_000, 5_000)])).toThrow(
      "SecureApi 'Api': stage.throttling.allowDocumentToRaiseLimits is not set, but operation 'login' has x-secureapi-throttling above the stage limit (rateLimit 10000 > stage 100, burstLimit 5000 > stage 200); a document may only lower limits unless the stack allows it (or set the limit in stage.throttling.operations)",
    );
  });

  it('lets a document lower a limit without any opt-in', () => {
    const { stageOptions, weakened } = harden({}, [login(5, 10)]);
    expect(stageOptions.methodOptions!['/login/POST']).toMatchObject({ throttlingRateLimit: 5, throttlingBurstLimit: 10 });
    expect(weakened).toEqual([]);
  });

  it('allows the raise with the opt-in, and says so in a warning', () => {
    const { stageOptions, weakened } = harden({ throttling: { allowDocumentToRaiseLimits: true } }, [login(1_000)]);
    expect(stageOptions.methodOptions!['/login/POST']).toMatchObject({ throttlingRateLimit: 1_000, throttlingBurstLimit: 200 });
    expect(weakened).toEqual([
      "operation 'login' is throttled above the stage limit by its x-secureapi-throttling (rateLimit 1000 > stage 100), allowed by stage.throttling.allowDocumentToRaiseLimits",
    ]);
  });

  it("takes a raise set in props as the stack owner's choice", () => {
    const { stageOptions, weakened } = harden({ throttling: { operations: { login: { rateLimit: 1_000 } } } }, [login(10_000)]);
    expect(stageOptions.methodOptions!['/login/POST']).toMatchObject({ throttlingRateLimit: 1_000 });
    expect(weakened).toEqual([]);
  });

  it('keeps execution logs, data trace setting and metrics on the operation someone singled out', () => {
    const { stageOptions } = harden({ executionLogLevel: apigw.MethodLoggingLevel.INFO }, [login(5)]);
    expect(stageOptions.methodOptions!['/login/POST']).toEqual({
      throttlingRateLimit: 5,
      throttlingBurstLimit: 200,
      loggingLevel: apigw.MethodLoggingLevel.INFO,
      dataTraceEnabled: false,
      metricsEnabled: true,
      cachingEnabled: false,
    });
  });
});

describe('methodSettingsOf', () => {
  it('repeats the stage settings in a per-method entry', () => {
    expect(
      methodSettingsOf(
        { rateLimit: 1, burstLimit: 2 },
        { loggingLevel: apigw.MethodLoggingLevel.ERROR, dataTraceEnabled: false, metricsEnabled: true, cachingEnabled: false },
      ),
    ).toEqual({
      throttlingRateLimit: 1,
      throttlingBurstLimit: 2,
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      metricsEnabled: true,
      cachingEnabled: false,
    });
  });
});

describe('documentRaises', () => {
  it('names each limit above the stage, and nothing at or below it', () => {
    expect(documentRaises({ rateLimit: 100, burstLimit: 201 }, { rateLimit: 100, burstLimit: 200 })).toEqual([
      'burstLimit 201 > stage 200',
    ]);
    expect(documentRaises({}, { rateLimit: 100, burstLimit: 200 })).toEqual([]);
  });
});

describe('SecureApi: a throttled operation in the synthesized stage', () => {
  it('has a MethodSettings entry with the stage logging level, data trace and metrics', () => {
    const stack = new Stack(new App(), 'Stack');
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject({
        openapi: '3.0.3',
        info: { title: 'T', version: '1' },
        paths: {
          '/login': {
            post: {
              operationId: 'login',
              security: [],
              'x-secureapi-throttling': { rateLimit: 5 },
              responses: { '200': { description: 'OK' } },
            },
          },
        },
      }),
      defaultIntegration: OperationIntegration.mock(),
    });
    const stage = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.Properties.MethodSettings).toContainEqual({
      HttpMethod: 'POST',
      ResourcePath: '/~1login',
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 200,
      LoggingLevel: 'ERROR',
      DataTraceEnabled: false,
      MetricsEnabled: true,
      CachingEnabled: false,
    });
  });
});
