import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { hardenStage, validateThrottle } from '../../lib/stage';
import { ApiOperation } from '../../lib/openapi/types';

const op = (operationId: string, path: string, method: ApiOperation['method'], extensions = {}): ApiOperation => ({
  operationId, method, path, sourcePath: path, parameters: [], extensions, tags: [],
});
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
    const { weakened } = harden({ dataTrace: true, tracing: false, executionLogLevel: apigw.MethodLoggingLevel.OFF, clientCertificate: false });
    expect(weakened).toHaveLength(4);
    expect(weakened.join('\n')).toContain('data trace is on');
  });

  it('encrypts the cache whenever it is turned on', () => {
    const { stageOptions } = harden({ cache: { ttl: Duration.minutes(1) } });
    expect(stageOptions).toMatchObject({ cacheClusterEnabled: true, cacheClusterSize: '0.5', cachingEnabled: true, cacheDataEncrypted: true });
    expect(() => harden({ cache: { size: '3' } })).toThrow("stage.cache.size must be one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, got '3'");
  });

  it('throttles single operations from props and from x-secureapi-throttling, props first', () => {
    const operations = [op('listPets', '/pets', 'get', { 'x-secureapi-throttling': { rateLimit: 5, burstLimit: 10 } }), op('createPet', '/pets', 'post')];
    const { stageOptions } = harden({ throttling: { operations: { createPet: { rateLimit: 2 } } } }, operations);
    expect(stageOptions.methodOptions).toEqual({
      '/pets/GET': { throttlingRateLimit: 5, throttlingBurstLimit: 10 },
      '/pets/POST': { throttlingRateLimit: 2, throttlingBurstLimit: 200 },
    });
  });

  it('rejects out-of-range throttling values and unknown operationIds, naming the prop', () => {
    expect(() => harden({ throttling: { rateLimit: -1 } })).toThrow("SecureApi 'Api': stage.throttling.rateLimit must be a number greater than 0 and at most 10000");
    expect(() => harden({ throttling: { burstLimit: 1.5 } })).toThrow('stage.throttling.burstLimit must be a whole number from 0 to 5000');
    expect(() => harden({ throttling: { operations: { nope: { rateLimit: 1 } } } })).toThrow('stage.throttling.operations names unknown operationIds: nope');
    expect(() => harden({}, [op('listPets', '/pets', 'get', { 'x-secureapi-throttling': 'fast' })])).toThrow("operation 'listPets' has x-secureapi-throttling that is not an object");
    expect(() => validateThrottle({ rateLimit: Number.NaN }, 'x')).toThrow('x.rateLimit must be a number');
  });
});
