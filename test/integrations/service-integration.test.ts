// OperationIntegration.sqs, .eventBridge and .stepFunctions in a SecureApi: the synthesized template.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Auth, OpenApi, OperationIntegration, SecureApi, SecureApiProps, SqsMessageGroup } from '../../lib';
import { nagFindings } from '../helpers/nag';
import { templateFindings } from '../helpers/template-validation';
import { renderMappingTemplate } from '../support/api-gateway-vtl';

const env = { account: '111111111111', region: 'eu-west-1' };
const ISSUER = 'https://idp.example.com/realms/orders';

const jsonBody = {
  required: true,
  content: {
    'application/json': {
      schema: { type: 'object', required: ['sku'], additionalProperties: false, properties: { sku: { type: 'string', maxLength: 64 } } },
    },
  },
};

/** Orders: a body-carrying POST per integration kind, behind the JWT authorizer. */
function document(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const op = (operationId: string, status = '202', body: unknown = jsonBody) => ({
    post: {
      operationId,
      security: [{ jwt: ['orders:write'] }],
      ...(body === undefined ? {} : { requestBody: body }),
      responses: { [status]: { description: 'accepted' } },
    },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'Orders', version: '1' },
    components: {
      securitySchemes: {
        jwt: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${ISSUER}/token`, scopes: { 'orders:write': 'w' } } } },
      },
    },
    paths: {
      '/orders': op('createOrder'),
      '/events': op('publishEvent'),
      '/jobs': op('startJob', '200'),
      '/batches': op('startBatch', '202', undefined),
      ...extra,
    },
  };
}

function compliantQueue(stack: Stack, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  const key = new kms.Key(stack, `${id}Key`, { enableKeyRotation: true });
  const dlq = new sqs.Queue(stack, `${id}Dlq`, { encryptionMasterKey: key, enforceSSL: true, fifo: props.fifo });
  return new sqs.Queue(stack, id, {
    encryptionMasterKey: key,
    enforceSSL: true,
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
    ...props,
  });
}

function machine(stack: Stack, id: string, type: sfn.StateMachineType): sfn.StateMachine {
  return new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
    stateMachineType: type,
    tracingEnabled: true,
  });
}

function synth(build: (stack: Stack) => Partial<SecureApiProps> = () => ({})) {
  const app = new App();
  const stack = new Stack(app, 'Orders', { env });
  const orders = compliantQueue(stack, 'Orders');
  const audit = compliantQueue(stack, 'Audit'); // a second queue the API must not reach
  const bus = new events.EventBus(stack, 'Bus');
  const express = machine(stack, 'Express', sfn.StateMachineType.EXPRESS);
  const standard = machine(stack, 'Standard', sfn.StateMachineType.STANDARD);
  const overrides = build(stack);
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document()),
    auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
    integrations: {
      createOrder: OperationIntegration.sqs(orders),
      publishEvent: OperationIntegration.eventBridge(bus, { source: 'com.example.orders', detailType: 'OrderEvent' }),
      startJob: OperationIntegration.stepFunctions(express),
      startBatch: OperationIntegration.stepFunctions(standard),
    },
    ...overrides,
  });
  const template = Template.fromStack(stack);
  return { stack, api, template, orders, audit, bus, express, standard };
}

const bodyOf = (template: Template): any => Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
const integrationOf = (template: Template, path: string): any => bodyOf(template).paths[path].post['x-amazon-apigateway-integration'];

/** The policy statements attached to the role whose logical id is `roleId` (its LeastPrivilegeRole managed policy). */
function statementsOf(template: Template, roleId: string): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
    (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId),
  );
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** The logical id of the role an integration's `credentials` names. */
function credentialsRole(integration: any): string {
  return integration.credentials['Fn::GetAtt'][0];
}

/** Whether any statement lets the role act on the resource with logical id `resourceId` (or anything, with `*`). */
function reaches(statements: any[], resourceId: string): boolean {
  const text = JSON.stringify(statements.map((s) => s.Resource));
  return text.includes(`"${resourceId}"`) || text.includes('"*"');
}

describe('security headers on AWS service integration answers', () => {
  const { template } = synth();
  const expected = {
    'method.response.header.Cache-Control': "'no-store'",
    'method.response.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
    'method.response.header.X-Content-Type-Options': "'nosniff'",
    'method.response.header.X-Frame-Options': "'DENY'",
  };

  it.each(['/orders', '/events', '/jobs', '/batches'])(
    'abuse: every answer of %s, success and mapped service error, carries HSTS, nosniff, no-store and DENY like the gateway responses',
    (path) => {
      const integration = integrationOf(template, path);
      expect(Object.keys(integration.responses).sort()).toEqual(['4\\d{2}', '5\\d{2}', 'default']);
      for (const response of Object.values<any>(integration.responses)) expect(response.responseParameters).toEqual(expected);
      // The same headers, with the same values, as the gateway responses (the errors API Gateway itself answers).
      const gateway = bodyOf(template)['x-amazon-apigateway-gateway-responses'].DEFAULT_5XX.responseParameters;
      for (const [parameter, value] of Object.entries(expected))
        expect(gateway[parameter.replace('method.response.', 'gatewayresponse.')]).toBe(value);
    },
  );

  it('declares each mapped header on the method response of its status, which the import requires', () => {
    const responses = bodyOf(template).paths['/jobs'].post.responses;
    for (const status of ['200', '502']) {
      expect(responses[status].headers).toEqual({
        'Cache-Control': { schema: { type: 'string' } },
        'Strict-Transport-Security': { schema: { type: 'string' } },
        'X-Content-Type-Options': { schema: { type: 'string' } },
        'X-Frame-Options': { schema: { type: 'string' } },
      });
    }
    expect(responses['200'].description).toBe('accepted');
  });
});

// Gap: with cors set, the answers of AWS service integrations carried no Access-Control-Allow-Origin, so a browser
// app on the allowed origin saw a network error for a message that was sent.
describe('CORS on AWS service integration answers', () => {
  const paths = ['/orders', '/events', '/jobs', '/batches'];

  const { template: oneOrigin } = synth(() => ({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } }));

  it.each(paths)(
    'writes the one allowed origin, credentials and Vary: Origin on every answer of %s, declared on its method responses',
    (path) => {
      const template = oneOrigin;
      const integration = integrationOf(template, path);
      for (const answer of Object.values<any>(integration.responses)) {
        expect(answer.responseParameters).toMatchObject({
          'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'method.response.header.Access-Control-Allow-Credentials': "'true'",
          'method.response.header.Vary': "'Origin'",
          'method.response.header.X-Frame-Options': "'DENY'",
        });
        expect(bodyOf(template).paths[path].post.responses[answer.statusCode].headers['Access-Control-Allow-Origin']).toBeDefined();
      }
    },
  );

  it('abuse: with several origins and credentials, every answer echoes only an allowed Origin, never * nor an unchecked one', () => {
    const { template, stack } = synth(() => ({
      cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true },
    }));
    for (const path of paths) {
      for (const answer of Object.values<any>(integrationOf(template, path).responses)) {
        expect(answer.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBeUndefined();
        const text: string = answer.responseTemplates['application/json'];
        expect(renderMappingTemplate(text, { header: { Origin: 'https://admin.example.com' } }).headerOverrides).toEqual({
          'Access-Control-Allow-Origin': 'https://admin.example.com',
        });
        for (const origin of ['https://evil.example', '*', 'https://app.example.com"#set($x = 1)'])
          expect(renderMappingTemplate(text, { header: { Origin: origin } }).headerOverrides).toEqual({});
      }
    }
    expect(templateFindings(stack).filter((f) => f.includes('/Api/'))).toEqual([]);
  });

  it('leaves the answers without CORS headers when cors is not set', () => {
    const { template } = synth();
    expect(JSON.stringify(integrationOf(template, '/orders').responses)).not.toContain('Access-Control');
  });
});

describe('OperationIntegration.sqs', () => {
  const { template, stack, api } = synth();
  const integration = integrationOf(template, '/orders');
  const logicalId = (c: any) => stack.getLogicalId(c.node.defaultChild);

  it('is an aws integration to SendMessage on the queue, with its own credentials role and no passthrough', () => {
    expect(integration).toMatchObject({
      type: 'aws',
      httpMethod: 'POST',
      passthroughBehavior: 'never',
      requestParameters: {
        'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        'integration.request.header.Accept': "'application/json'",
      },
      timeoutInMillis: 29000,
    });
    expect(Object.keys(integration.requestTemplates)).toEqual(['application/json']);
    expect(integration.requestTemplates['application/json']).toContain("MessageBody=$util.urlEncode($input.json('$'))");
    expect(integration.requestTemplates['application/json']).not.toContain('$input.body');
    expect(JSON.stringify(integration.uri)).toContain(':sqs:path/111111111111/');
  });

  it("maps answers to the API's shapes: the declared 2xx with the message id, service errors to a 502 with the uniform body", () => {
    expect(integration.responses.default).toEqual({
      statusCode: '202',
      responseParameters: expect.any(Object),
      responseTemplates: { 'application/json': expect.stringContaining('{"messageId":') },
    });
    for (const pattern of ['4\\d{2}', '5\\d{2}']) {
      expect(integration.responses[pattern].statusCode).toBe('502');
      expect(integration.responses[pattern].responseTemplates['application/json']).toBe(
        '{"error":{"code":"BAD_GATEWAY","message":"Bad gateway","requestId":"$context.requestId"}}',
      );
    }
    expect(Object.keys(bodyOf(template).paths['/orders'].post.responses).sort()).toEqual(['202', '502']);
  });

  it('gives the role sqs:SendMessage on this queue and the data-key actions on its key, nothing else', () => {
    const statements = statementsOf(template, credentialsRole(integration));
    const orders = stack.node.findChild('Orders');
    const key = stack.node.findChild('OrdersKey');
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [logicalId(orders), 'Arn'] } },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } },
    ]);
    const role = template.toJSON().Resources[credentialsRole(integration)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
    ]);
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('abuse: the role cannot touch a second queue in the same stack, nor anything through a wildcard', () => {
    const statements = statementsOf(template, credentialsRole(integration));
    expect(reaches(statements, logicalId(stack.node.findChild('Orders')))).toBe(true);
    expect(reaches(statements, logicalId(stack.node.findChild('Audit')))).toBe(false);
    expect(reaches(statements, logicalId(stack.node.findChild('AuditDlq')))).toBe(false);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|sqs:\*|sqs:ReceiveMessage|sqs:DeleteMessage|kms:\*/);
    // No other policy in the template names the API's role.
    const inline = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      JSON.stringify(p.Properties.Roles ?? []).includes(credentialsRole(integration)),
    );
    expect(inline).toEqual([]);
  });

  it('applies request validation, the authorizer, the web ACL and the access log as to Lambda operations', () => {
    const op = bodyOf(template).paths['/orders'].post;
    expect(op['x-amazon-apigateway-request-validator']).toBeDefined();
    expect(bodyOf(template)['x-amazon-apigateway-request-validators'][op['x-amazon-apigateway-request-validator']]).toEqual({
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    expect(op.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
    const scheme = Object.keys(op.security[0])[0];
    expect(bodyOf(template).components.securitySchemes[scheme]['x-amazon-apigateway-authtype']).toBe('custom');
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.Properties.AccessLogSetting.DestinationArn).toBeDefined();
  });

  it('shares one role between the operations that send to the same queue', () => {
    const { template: shared } = synth((stack) => {
      const q = stack.node.findChild('Orders') as sqs.Queue;
      return {
        openApi: OpenApi.fromObject(
          document({
            '/orders2': { post: { operationId: 'createOrder2', requestBody: jsonBody, responses: { '202': { description: 'ok' } } } },
          }),
        ),
        integrations: {
          createOrder: OperationIntegration.sqs(q),
          createOrder2: OperationIntegration.sqs(q),
          publishEvent: OperationIntegration.mock(),
          startJob: OperationIntegration.mock(),
          startBatch: OperationIntegration.mock(),
        },
      };
    });
    expect(credentialsRole(integrationOf(shared, '/orders'))).toBe(credentialsRole(integrationOf(shared, '/orders2')));
  });

  it('leaves no cdk-nag finding (five packs) on the API, its roles included', () => {
    expect(nagFindings(api)).toEqual([]);
  });
});

describe('AWS service integrations with imported targets', () => {
  // Imported queue, bus and state machines: the template holds only what SecureApi made, so every finding is ours.
  const app = new App();
  const stack = new Stack(app, 'Imported', { env });
  const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:111111111111:${resource}`;
  const queue = sqs.Queue.fromQueueAttributes(stack, 'Queue', {
    queueArn: arn('sqs', 'orders'),
    keyArn: arn('kms', 'key/0f6e3b43-5c8a-4d0e-9d3e-1c1f0a6b2f11'),
  });
  const bus = events.EventBus.fromEventBusArn(stack, 'Bus', arn('events', 'event-bus/orders'));
  const jobs = sfn.StateMachine.fromStateMachineArn(stack, 'Jobs', arn('states', 'stateMachine:jobs'));
  const batches = sfn.StateMachine.fromStateMachineArn(stack, 'Batches', arn('states', 'stateMachine:batches'));
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document()),
    auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
    integrations: {
      createOrder: OperationIntegration.sqs(queue),
      publishEvent: OperationIntegration.eventBridge(bus, { source: 'com.example.orders', detailType: 'OrderEvent' }),
      startJob: OperationIntegration.stepFunctions(jobs, { stateMachineType: sfn.StateMachineType.EXPRESS }),
      startBatch: OperationIntegration.stepFunctions(batches),
    },
  });
  const template = Template.fromStack(stack);

  it('names each imported resource exactly in its role', () => {
    const of = (path: string) => statementsOf(template, credentialsRole(integrationOf(template, path)));
    expect(of('/orders')).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn('sqs', 'orders') },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: arn('kms', 'key/0f6e3b43-5c8a-4d0e-9d3e-1c1f0a6b2f11') },
    ]);
    expect(of('/events')).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: arn('events', 'event-bus/orders') }]);
    expect(of('/jobs')).toEqual([{ Effect: 'Allow', Action: 'states:StartSyncExecution', Resource: arn('states', 'stateMachine:jobs') }]);
    expect(of('/batches')).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: arn('states', 'stateMachine:batches') }]);
  });

  it('finds nothing in cdk-nag (five packs), CloudFormation Validate or the Control Tower rules', () => {
    expect(nagFindings(api)).toEqual([]);
    expect(templateFindings(stack)).toEqual([]);
  });
});

describe('OperationIntegration.sqs configuration errors', () => {
  it('refuses a FIFO queue without a message-group rule, and a rule for a standard queue', () => {
    const stack = new Stack(new App(), 'S', { env });
    const fifo = new sqs.Queue(stack, 'Fifo', { fifo: true });
    const standard = new sqs.Queue(stack, 'Standard');
    expect(() => OperationIntegration.sqs(fifo)).toThrow(
      "SecureApi: integrations OperationIntegration.sqs queue 'S/Fifo' is FIFO: set messageGroup (SqsMessageGroup.fixed(id) or SqsMessageGroup.perCaller())",
    );
    expect(() => OperationIntegration.sqs(standard, { messageGroup: SqsMessageGroup.perCaller() })).toThrow(
      "queue 'S/Standard' is not FIFO: messageGroup applies to FIFO queues only",
    );
    expect(() => SqsMessageGroup.fixed('a b$c')).toThrow(
      "SqsMessageGroup.fixed group id must be 1 to 128 letters, digits and _ . : -, got 'a b$c'",
    );
  });

  it('groups FIFO messages by the rule and deduplicates them by the request id', () => {
    const { template } = synth((stack) => ({
      integrations: {
        createOrder: OperationIntegration.sqs(compliantQueue(stack, 'Ordered', { fifo: true }), {
          messageGroup: SqsMessageGroup.fixed('orders'),
        }),
        publishEvent: OperationIntegration.sqs(compliantQueue(stack, 'PerCaller', { fifo: true }), {
          messageGroup: SqsMessageGroup.perCaller(),
        }),
        startJob: OperationIntegration.mock(),
        startBatch: OperationIntegration.mock(),
      },
    }));
    expect(integrationOf(template, '/orders').requestTemplates['application/json']).toContain(
      '&MessageGroupId=orders&MessageDeduplicationId=$util.urlEncode($context.requestId)',
    );
    expect(integrationOf(template, '/events').requestTemplates['application/json']).toContain(
      '&MessageGroupId=$util.urlEncode("$!context.authorizer.sub")',
    );
  });

  it('refuses an operation without a validated JSON body', () => {
    const build = (body: unknown) => () =>
      synth((stack) => ({
        openApi: OpenApi.fromObject(
          document({
            '/raw': { post: { operationId: 'raw', ...(body ? { requestBody: body } : {}), responses: { '202': { description: 'ok' } } } },
          }),
        ),
        integrations: { raw: OperationIntegration.sqs(stack.node.findChild('Orders') as sqs.Queue) },
        defaultIntegration: OperationIntegration.mock(),
      }));
    expect(build(undefined)).toThrow(
      "SecureApi 'Orders/Api': integrations OperationIntegration.sqs for 'raw' needs a request body to send: declare an application/json request body with a schema",
    );
    expect(build({ content: { 'text/plain': { schema: { type: 'string' } } } })).toThrow(
      "OperationIntegration.sqs for 'raw' sends only a validated JSON body: declare an application/json request body with a schema",
    );
  });
});

describe('OperationIntegration.eventBridge', () => {
  const { template, stack } = synth();
  const integration = integrationOf(template, '/events');

  it('puts one event on the bus through a role that may only PutEvents on that bus', () => {
    expect(integration).toMatchObject({
      type: 'aws',
      passthroughBehavior: 'never',
      requestParameters: {
        'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
        'integration.request.header.X-Amz-Target': "'AWSEvents.PutEvents'",
      },
    });
    expect(JSON.stringify(integration.uri)).toContain(':events:action/PutEvents');
    const bus = stack.getLogicalId(stack.node.findChild('Bus').node.defaultChild as any);
    expect(statementsOf(template, credentialsRole(integration))).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [bus, 'Arn'] } },
    ]);
  });

  it('writes source and detail-type as given, the envelope escaped into Detail, and maps FailedEntryCount > 0 to a 502', () => {
    const request = JSON.stringify(
      template.toJSON().Resources[Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0]].Properties.Body.paths['/events'].post[
        'x-amazon-apigateway-integration'
      ].requestTemplates,
    );
    expect(request).toContain('com.example.orders');
    expect(request).toContain('OrderEvent');
    expect(integration.responses.default.responseTemplates['application/json']).toContain('#if($failed != "0")');
    expect(integration.responses.default.responseTemplates['application/json']).toContain('#set($context.responseOverride.status = 502)');
  });

  it('refuses an AWS source and values that are not plain literals', () => {
    const bus = events.EventBus.fromEventBusName(new Stack(), 'B', 'default');
    expect(() => OperationIntegration.eventBridge(bus, { source: 'aws.s3', detailType: 'x' })).toThrow(
      "source 'aws.s3' is reserved for AWS services",
    );
    expect(() => OperationIntegration.eventBridge(bus, { source: 'com.x', detailType: 'a"}#set($x=1)' })).toThrow(
      'OperationIntegration.eventBridge detailType must be a literal of 1 to 128 letters, digits, spaces and . _ - / :',
    );
  });
});

describe('OperationIntegration.stepFunctions', () => {
  const { template, stack } = synth();
  const arnOf = (id: string) => ({ Ref: stack.getLogicalId(stack.node.findChild(id).node.defaultChild as any) });

  it('runs an EXPRESS machine synchronously: StartSyncExecution only, its output as the answer, FAILED mapped to a 502', () => {
    const integration = integrationOf(template, '/jobs');
    expect(JSON.stringify(integration.uri)).toContain(':states:action/StartSyncExecution');
    expect(statementsOf(template, credentialsRole(integration))).toEqual([
      { Effect: 'Allow', Action: 'states:StartSyncExecution', Resource: arnOf('Express') },
    ]);
    expect(integration.responses.default.statusCode).toBe('200');
    expect(integration.responses.default.responseTemplates['application/json']).toContain('#if($status == "SUCCEEDED")');
  });

  it('starts a STANDARD machine asynchronously: StartExecution only, answering with the request id, never the ARN', () => {
    const integration = integrationOf(template, '/batches');
    expect(JSON.stringify(integration.uri)).toContain(':states:action/StartExecution');
    expect(statementsOf(template, credentialsRole(integration))).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: arnOf('Standard') },
    ]);
    expect(integration.responses.default).toEqual({
      statusCode: '202',
      responseParameters: expect.any(Object),
      responseTemplates: { 'application/json': '{"executionId":"$context.requestId"}' },
    });
  });

  it('refuses a STANDARD machine asked to answer synchronously, and a type that contradicts the machine', () => {
    const stack2 = new Stack(new App(), 'S', { env });
    const standard = machine(stack2, 'Batch', sfn.StateMachineType.STANDARD);
    expect(() => OperationIntegration.stepFunctions(standard, { synchronous: true })).toThrow(
      "SecureApi: integrations OperationIntegration.stepFunctions state machine 'S/Batch' is STANDARD and cannot answer synchronously",
    );
    const imported = sfn.StateMachine.fromStateMachineName(stack2, 'Imported', 'jobs');
    expect(() => OperationIntegration.stepFunctions(imported, { synchronous: true })).toThrow(
      'is STANDARD and cannot answer synchronously',
    );
    expect(() =>
      OperationIntegration.stepFunctions(imported, { synchronous: true, stateMachineType: sfn.StateMachineType.EXPRESS }),
    ).not.toThrow();
    expect(() => OperationIntegration.stepFunctions(standard, { stateMachineType: sfn.StateMachineType.EXPRESS })).toThrow(
      "stateMachineType EXPRESS contradicts state machine 'S/Batch', which is STANDARD",
    );
  });
});

describe('OperationIntegration.stepFunctions with a customer managed key', () => {
  function encrypted() {
    const app = new App();
    const stack = new Stack(app, 'Jobs', { env });
    const key = new kms.Key(stack, 'JobsKey', { enableKeyRotation: true });
    const other = new kms.Key(stack, 'OtherKey', { enableKeyRotation: true });
    const express = new sfn.StateMachine(stack, 'Express', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'ExpressPass')),
      stateMachineType: sfn.StateMachineType.EXPRESS,
      tracingEnabled: true,
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(key),
    });
    const imported = sfn.StateMachine.fromStateMachineName(stack, 'Imported', 'batches');
    const importedKey = kms.Key.fromKeyArn(
      stack,
      'ImportedKey',
      'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const api = new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(document()),
      auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
      defaultIntegration: OperationIntegration.mock(),
      integrations: {
        startJob: OperationIntegration.stepFunctions(express),
        startBatch: OperationIntegration.stepFunctions(imported, { encryptionKey: importedKey }),
      },
    });
    return { stack, api, template: Template.fromStack(stack), key, other, express };
  }
  const { stack, api, template, key, other, express } = encrypted();
  const logicalId = (c: any) => stack.getLogicalId(c.node.defaultChild);

  it("grants the data-key actions on the state machine's key, for this state machine's encryption context only", () => {
    const statements = statementsOf(template, credentialsRole(integrationOf(template, '/jobs')));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'states:StartSyncExecution', Resource: { Ref: logicalId(express) } },
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': { Ref: logicalId(express) } } },
      },
    ]);
  });

  it('abuse: the role gets no other key, no kms wildcard, and no key use outside the state machine context', () => {
    const statements = statementsOf(template, credentialsRole(integrationOf(template, '/jobs')));
    expect(reaches(statements, logicalId(other))).toBe(false);
    expect(JSON.stringify(statements)).not.toMatch(/kms:\*|"\*"|kms:Encrypt"|kms:ReEncrypt|kms:CreateGrant/);
    for (const statement of statements.filter((s: any) => JSON.stringify(s.Action).includes('kms:'))) {
      expect(statement.Condition.StringEquals['kms:EncryptionContext:aws:states:stateMachineArn']).toBeDefined();
    }
  });

  it('grants the key given for an imported state machine, bound to its ARN', () => {
    const statements = statementsOf(template, credentialsRole(integrationOf(template, '/batches')));
    expect(statements[1]).toMatchObject({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(JSON.stringify(statements[1].Condition)).toContain(':stateMachine:batches');
  });

  it('gives no key permission to a state machine on an AWS owned key', () => {
    const { template: plain } = synth();
    expect(JSON.stringify(statementsOf(plain, credentialsRole(integrationOf(plain, '/jobs'))))).not.toContain('kms:');
  });

  it('refuses encryptionKey for a StateMachine, whose key SecureApi reads itself', () => {
    const other = new kms.Key(stack, 'Unrelated', { enableKeyRotation: true });
    expect(() => OperationIntegration.stepFunctions(express, { encryptionKey: other })).toThrow(
      "OperationIntegration.stepFunctions encryptionKey is for an imported state machine; SecureApi reads the key of state machine 'Jobs/Express' from its encryptionConfiguration",
    );
  });

  it('leaves no cdk-nag or template finding on what SecureApi made', () => {
    expect(nagFindings(api)).toEqual([]);
    // The key and state machine are the test's own fixtures; SecureApi's resources are under Jobs/Api/.
    expect(templateFindings(api).filter((f) => f.includes('/Api/'))).toEqual([]);
  });
});

describe('OperationIntegration.eventBridge with a customer managed key', () => {
  it("needs no key permission on the role: EventBridge uses the bus's key itself, through the key policy an EventBus writes", () => {
    const app = new App();
    const stack = new Stack(app, 'Events', { env });
    const key = new kms.Key(stack, 'BusKey', { enableKeyRotation: true });
    const bus = new events.EventBus(stack, 'Bus', { kmsKey: key });
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(document()),
      auth: Auth.jwt({ issuer: ISSUER, audience: ['orders'] }),
      defaultIntegration: OperationIntegration.mock(),
      integrations: { publishEvent: OperationIntegration.eventBridge(bus, { source: 'com.example.orders', detailType: 'OrderEvent' }) },
    });
    const template = Template.fromStack(stack);
    const statements = statementsOf(template, credentialsRole(integrationOf(template, '/events')));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(bus.node.defaultChild as any), 'Arn'] },
      },
    ]);
    // The documented requirement (EventBridge user guide, "Authorizing EventBridge to use a customer managed key").
    const keyPolicy = JSON.stringify(template.toJSON().Resources[stack.getLogicalId(key.node.defaultChild as any)].Properties.KeyPolicy);
    expect(keyPolicy).toContain('"Service":"events.amazonaws.com"');
    expect(keyPolicy).toContain('kms:GenerateDataKey');
  });
});
