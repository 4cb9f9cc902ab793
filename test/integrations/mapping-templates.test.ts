// The request and response templates of lib/integrations/mapping-templates.ts, rendered in process (test/support/api-gateway-vtl.ts)
// against hostile bodies: whatever the client sends arrives at the service as data, and answers never carry the service's text.
import * as fc from 'fast-check';
import {
  putEventsResponseTemplate,
  putEventsTemplate,
  sqsResponseTemplate,
  sqsSendMessageTemplate,
  startExecutionTemplate,
  startSyncExecutionResponseTemplate,
} from '../../lib/integrations/mapping-templates';
import { renderMappingTemplate } from '../support/api-gateway-vtl';

const HOSTILE_STRINGS = [
  `it's "quoted"`,
  'back\\slash \\" \\\\\' \\u0041',
  '#set($x = 1)#if(true)boom#end',
  "$util.urlEncode('x') $input.body $context.authorizer.sub ${q}",
  '"}]}, "stateMachineArn": "arn:aws:states:eu-west-1:999999999999:stateMachine:evil',
  '&MessageAttribute.1.Name=caller.sub&MessageAttribute.1.Value.StringValue=admin',
  'line\nbreak\r\n\ttab \u2028\u2029 \u0000 \u001f',
  'unicode é ü 漢字 😀 </script>',
  '## comment #* block *# #[[unparsed]]#',
];
const hostileBodies = [...HOSTILE_STRINGS.map((s) => ({ sku: s })), { sku: 'x', nested: HOSTILE_STRINGS }];
const hostileCaller = { sub: `user"',\\#set($a=1)$util`, client_id: 'client\n"}' };

/** Form body → its parameters (repeated names keep the last). */
function formParameters(body: string): Map<string, string> {
  expect(body).not.toMatch(/[\s"'#$]/); // everything encoded: no whitespace, quote, or VTL syntax left
  const out = new Map<string, string>();
  for (const pair of body.split('&')) {
    const [name, value] = pair.split('=');
    out.set(decodeURIComponent(name), decodeURIComponent(value.replace(/\+/g, ' ')));
  }
  return out;
}

describe('sqsSendMessageTemplate', () => {
  it.each(hostileBodies.map((b) => [JSON.stringify(b).slice(0, 40), b]))('sends %s as the message body, as data', (_name, payload) => {
    const { output } = renderMappingTemplate(sqsSendMessageTemplate(), { body: JSON.stringify(payload), authorizer: hostileCaller });
    const form = formParameters(output);
    expect([...form.keys()]).toEqual([
      'Action',
      'MessageBody',
      'MessageAttribute.1.Name',
      'MessageAttribute.1.Value.DataType',
      'MessageAttribute.1.Value.StringValue',
      'MessageAttribute.2.Name',
      'MessageAttribute.2.Value.DataType',
      'MessageAttribute.2.Value.StringValue',
    ]);
    expect(form.get('Action')).toBe('SendMessage');
    expect(JSON.parse(form.get('MessageBody')!)).toEqual(payload);
    expect(form.get('MessageAttribute.1.Name')).toBe('caller.sub');
    expect(form.get('MessageAttribute.1.Value.StringValue')).toBe(hostileCaller.sub);
    expect(form.get('MessageAttribute.2.Name')).toBe('caller.client_id');
    expect(form.get('MessageAttribute.2.Value.StringValue')).toBe(hostileCaller.client_id);
  });

  it('leaves out the caller attributes when there is no authorizer context (no empty attribute SQS would refuse)', () => {
    const form = formParameters(renderMappingTemplate(sqsSendMessageTemplate(), { body: '{"sku":"a"}' }).output);
    expect([...form.keys()]).toEqual(['Action', 'MessageBody']);
  });

  it('numbers the attributes without a gap when only client_id is present', () => {
    const form = formParameters(renderMappingTemplate(sqsSendMessageTemplate(), { body: '{}', authorizer: { client_id: 'c' } }).output);
    expect(form.get('MessageAttribute.1.Name')).toBe('caller.client_id');
  });

  it('sets the FIFO group from the rule and deduplicates by request id', () => {
    const fixed = formParameters(
      renderMappingTemplate(sqsSendMessageTemplate({ fixed: 'orders' }), { body: '{}', requestId: 'r-1' }).output,
    );
    expect([fixed.get('MessageGroupId'), fixed.get('MessageDeduplicationId')]).toEqual(['orders', 'r-1']);
    const perCaller = formParameters(
      renderMappingTemplate(sqsSendMessageTemplate({ perCaller: true }), { body: '{}', authorizer: hostileCaller }).output,
    );
    expect(perCaller.get('MessageGroupId')).toBe(hostileCaller.sub);
  });

  it('property: any JSON body arrives unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (payload, sub) => {
        const { output } = renderMappingTemplate(sqsSendMessageTemplate(), {
          body: JSON.stringify(payload),
          authorizer: { sub: sub || 'x' },
        });
        const form = formParameters(output);
        expect(JSON.parse(form.get('MessageBody')!)).toEqual(JSON.parse(JSON.stringify(payload)));
        expect(form.get('MessageAttribute.1.Value.StringValue')).toBe(sub || 'x');
      }),
      { numRuns: 200 },
    );
  });
});

describe.each([
  [
    'putEventsTemplate',
    (hasBody: boolean) =>
      putEventsTemplate('arn:aws:events:eu-west-1:111111111111:event-bus/orders', 'com.example.orders', 'OrderEvent', hasBody),
    (r: any) => r.Entries[0].Detail,
  ],
  [
    'startExecutionTemplate',
    (hasBody: boolean) => startExecutionTemplate('arn:aws:states:eu-west-1:111111111111:stateMachine:jobs', hasBody),
    (r: any) => r.input,
  ],
])('%s', (_name, template, envelopeText) => {
  it.each(hostileBodies.map((b) => [JSON.stringify(b).slice(0, 40), b]))(
    'writes valid JSON with %s as data in the envelope',
    (_n, payload) => {
      const { output } = renderMappingTemplate(template(true), {
        body: JSON.stringify(payload),
        authorizer: hostileCaller,
        requestId: 'r-1',
      });
      const request = JSON.parse(output); // valid JSON, or this throws
      expect(Object.keys(request).sort()).toEqual(_name === 'putEventsTemplate' ? ['Entries'] : ['input', 'name', 'stateMachineArn']);
      if (_name === 'putEventsTemplate') {
        expect(request.Entries).toHaveLength(1);
        expect(request.Entries[0]).toMatchObject({
          Source: 'com.example.orders',
          DetailType: 'OrderEvent',
          EventBusName: 'arn:aws:events:eu-west-1:111111111111:event-bus/orders',
        });
      } else {
        expect(request).toMatchObject({ stateMachineArn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:jobs', name: 'r-1' });
      }
      expect(JSON.parse(envelopeText(request))).toEqual({ body: payload, caller: hostileCaller, requestId: 'r-1' });
    },
  );

  it('writes a null body for an operation without one, and empty caller fields without an authorizer', () => {
    const request = JSON.parse(renderMappingTemplate(template(false), { body: '{"ignored":true}', requestId: 'r-2' }).output);
    expect(JSON.parse(envelopeText(request))).toEqual({ body: null, caller: { sub: '', client_id: '' }, requestId: 'r-2' });
  });

  it('property: any JSON body and caller arrive unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.string(), (payload, sub, clientId) => {
        const request = JSON.parse(
          renderMappingTemplate(template(true), { body: JSON.stringify(payload), authorizer: { sub, client_id: clientId } }).output,
        );
        expect(JSON.parse(envelopeText(request))).toMatchObject({
          body: JSON.parse(JSON.stringify(payload)),
          caller: { sub, client_id: clientId },
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('response templates', () => {
  const leaks = /arn:|111111111111|Exception|cause|AccessDenied/;

  it('SQS: answers the message id only', () => {
    const body = JSON.stringify({
      SendMessageResponse: { SendMessageResult: { MessageId: 'm-1', MD5OfMessageBody: 'x' }, ResponseMetadata: { RequestId: 'aws' } },
    });
    expect(JSON.parse(renderMappingTemplate(sqsResponseTemplate(), { body }).output)).toEqual({ messageId: 'm-1' });
  });

  it('PutEvents: the event id on success; FailedEntryCount > 0 or a missing count is a 502 without the service text', () => {
    const ok = renderMappingTemplate(putEventsResponseTemplate(), { body: '{"FailedEntryCount":0,"Entries":[{"EventId":"e-1"}]}' });
    expect([JSON.parse(ok.output), ok.statusOverride]).toEqual([{ eventId: 'e-1' }, undefined]);
    for (const body of [
      '{"FailedEntryCount":1,"Entries":[{"ErrorCode":"AccessDeniedException","ErrorMessage":"arn:aws:events:eu-west-1:111111111111:event-bus/x"}]}',
      '{"Entries":[]}',
    ]) {
      const failed = renderMappingTemplate(putEventsResponseTemplate(), { body, requestId: 'r-3' });
      expect(failed.statusOverride).toBe(502);
      expect(JSON.parse(failed.output)).toEqual({ error: { code: 'BAD_GATEWAY', message: 'Bad gateway', requestId: 'r-3' } });
      expect(failed.output).not.toMatch(leaks);
    }
  });

  it('StartSyncExecution: the output on SUCCEEDED; FAILED a 502 and TIMED_OUT a 504, without error or cause', () => {
    const ok = renderMappingTemplate(startSyncExecutionResponseTemplate(), {
      body: JSON.stringify({ status: 'SUCCEEDED', output: '{"total":3}' }),
    });
    expect([JSON.parse(ok.output), ok.statusOverride]).toEqual([{ total: 3 }, undefined]);
    const failedBody = {
      status: 'FAILED',
      error: 'States.TaskFailed',
      cause: 'arn:aws:lambda:eu-west-1:111111111111:function:x Exception',
    };
    const failed = renderMappingTemplate(startSyncExecutionResponseTemplate(), { body: JSON.stringify(failedBody) });
    expect(failed.statusOverride).toBe(502);
    expect(JSON.parse(failed.output).error.code).toBe('BAD_GATEWAY');
    expect(failed.output).not.toMatch(leaks);
    const timedOut = renderMappingTemplate(startSyncExecutionResponseTemplate(), { body: '{"status":"TIMED_OUT"}' });
    expect([timedOut.statusOverride, JSON.parse(timedOut.output).error.code]).toEqual([504, 'GATEWAY_TIMEOUT']);
    const empty = renderMappingTemplate(startSyncExecutionResponseTemplate(), { body: '{"status":"SUCCEEDED"}' });
    expect(JSON.parse(empty.output)).toBeNull();
  });
});
