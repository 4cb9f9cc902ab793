import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OperationIntegration, resolveIntegrations } from '../../lib/integrations';
import { ApiOperation } from '../../lib/model';
import { apiOperation } from '../support/api-operation';
import { synthesizedInvocationUriOfArn } from '../support/invocation-uri';

const op = (operationId: string, path = '/pets/{petId}', method: ApiOperation['method'] = 'get') =>
  apiOperation(operationId, method, path, {
    parameters: path.includes('{petId}') ? [{ name: 'petId', in: 'path', required: true }] : [],
  });

describe('OperationIntegration', () => {
  const stack = new Stack(new App(), 'S');
  const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:pets');

  it('lambda() is a proxy integration that names the function to grant invoke on', () => {
    const config = OperationIntegration.lambda(fn).bind(op('getPet'));
    expect(config.integration).toMatchObject({
      type: 'aws_proxy',
      httpMethod: 'POST',
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 29000,
    });
    expect(stack.resolve(config.integration.uri)).toEqual(
      synthesizedInvocationUriOfArn('arn:aws:lambda:eu-west-1:111111111111:function:pets'),
    );
    expect(config.invokedFunction).toBe(fn);
  });

  it('http() appends the operation path and maps its path parameters', () => {
    const config = OperationIntegration.http('https://backend.example.com/api/').bind(op('getPet'));
    expect(config.integration).toMatchObject({
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: 'https://backend.example.com/api/pets/{petId}',
      requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
    });
  });

  it('http() rejects plain http and malformed URLs', () => {
    expect(() => OperationIntegration.http('http://backend.example.com')).toThrow("'http://backend.example.com' must use https://");
    expect(() => OperationIntegration.http('not a url')).toThrow(
      "SecureApi: integrations OperationIntegration.http URL 'not a url' is not a valid URL",
    );
  });

  it('mock() answers 200 with an empty JSON object and refuses unmapped content types', () => {
    const config = OperationIntegration.mock().bind(op('getPet'));
    expect(config.integration).toEqual({
      type: 'mock',
      passthroughBehavior: 'never',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{}' } } },
    });
    expect(() => OperationIntegration.mock({ statusCode: 42 })).toThrow('statusCode must be an HTTP status between 200 and 599, got 42');
  });

  it('rejects timeouts outside API Gateway limits', () => {
    expect(() => OperationIntegration.lambda(fn, { timeout: Duration.seconds(30) }).bind(op('getPet'))).toThrow(
      "SecureApi: integrations OperationIntegration.lambda for 'getPet' timeout must be between 50 ms and 29 s (API Gateway's integration limits), got 30000 ms",
    );
  });
});

describe('resolveIntegrations', () => {
  const mock = OperationIntegration.mock();
  it('uses the named integration, else the default', () => {
    const special = OperationIntegration.mock({ statusCode: 201 });
    const chosen = resolveIntegrations([op('a'), op('b')], { a: special }, mock, 'Api');
    expect(chosen.get('a')).toBe(special);
    expect(chosen.get('b')).toBe(mock);
  });
  it('lists every operation without an integration', () => {
    expect(() => resolveIntegrations([op('a'), op('b', '/b', 'post')], {}, undefined, 'Api')).toThrow(
      "SecureApi 'Api': integrations miss 2 operation(s): a (GET /pets/{petId}), b (POST /b). Add them to 'integrations', set 'defaultIntegration', or list them in 'excludeOperations'",
    );
  });
  it('rejects integrations for unknown operationIds', () => {
    expect(() => resolveIntegrations([op('a')], { a: mock, typo: mock }, undefined, 'Api')).toThrow(
      "SecureApi 'Api': integrations names operationIds that the OpenAPI document does not define: typo (known: a)",
    );
  });
});
