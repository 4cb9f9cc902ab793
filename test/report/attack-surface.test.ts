// The attack surface on synthesized stacks: key-only operations, bodies WAF does not inspect in full,
// and a web ACL brought by ARN, whose rules the report cannot see.
import { Size, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { OperationIntegration } from '../../lib';
import { risk, synthesizeReport } from './report-fixture';

describe('attack surface', () => {
  it('names the AWS service and action of an operation sent straight to SQS, never the queue ARN or account', () => {
    const queue = sqs.Queue.fromQueueArn(new Stack(), 'Queue', 'arn:aws:sqs:eu-west-1:111111111111:items-queue');
    const { report, markdown } = synthesizeReport({
      props: { integrations: { getHealth: OperationIntegration.mock(), createItem: OperationIntegration.sqs(queue) } },
    });
    expect(report.attackSurface.awsServiceIntegrations).toEqual([
      {
        operationId: 'createItem',
        method: 'POST',
        path: '/items',
        detail: 'SQS SendMessage, through a credentials role of its own (no Lambda function in between)',
      },
    ]);
    expect(markdown).toContain('### Sent straight to an AWS service (1)');
    expect(JSON.stringify(report) + markdown).not.toMatch(/items-queue|arn:aws:sqs/);
  });

  it('lists every operation protected by an API key alone', () => {
    const { report } = synthesizeReport({
      secured: false,
      props: {
        docs: undefined,
        apiKeys: {
          requireForAllOperations: true,
          tiers: [{ name: 'basic', throttle: { rateLimit: 5, burstLimit: 10 } }],
          consumers: [{ id: 'a', tier: 'basic' }],
        },
      },
    });
    expect(report.attackSurface.apiKeyOnly.map((o) => o.operationId).sort()).toEqual(['createItem', 'deleteItem', 'getItem', 'listItems']);
    expect(report.attackSurface.publicOperations.map((o) => o.operationId)).toEqual(['getHealth']);
    expect(risk(report, 'API2:2023').status).toBe('not covered');
  });

  it('lists bodies above the inspection limit when waf.maxBodySize lets them through', () => {
    const { report } = synthesizeReport({ props: { waf: { maxBodySize: Size.kibibytes(256) } } });
    expect(report.attackSurface.bodiesBeyondWafInspection).toEqual([
      {
        operationId: 'createItem',
        method: 'POST',
        path: '/items',
        detail: 'WAF inspects the first 16384 bytes; no rule blocks larger bodies',
      },
    ]);
    expect(report.attackSurface.weakenedDefaults.map((w) => w.prop)).toContain('waf.maxBodySize');
    expect(risk(report, 'API4:2023').status).toBe('partial');
  });

  it('says a web ACL brought by ARN is present but not judged', () => {
    const arn = 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/corporate/0123abcd-0123-0123-0123-0123456789ab';
    const { report } = synthesizeReport({ props: { waf: { webAclArn: arn } } });
    expect(risk(report, 'API7:2023')).toMatchObject({
      status: 'partial',
      controls: expect.arrayContaining([expect.stringContaining(`Web ACL "${arn}" associated with the stage`)]),
    });
    expect(report.attackSurface.bodiesBeyondWafInspection[0].detail).toContain('is outside this template');
    expect(report.securityHub.find((c) => c.id === 'APIGateway.4')?.status).toBe('pass');
  });
});
