import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations as CoreAnnotations, App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { groupFindings, SHOWN_OPERATIONS } from '../../lib/common/synth-findings';
import { OpenApi, OperationIntegration, SecureApi } from '../../lib';
import { analyzeDocument } from '../../lib/openapi';
import { largeCommerceDocument } from './fixtures';

describe('groupFindings', () => {
  it('keeps a single finding as it is, and groups a kind with the operations it covers, the count and the detail file', () => {
    const grouped = groupFindings(
      [
        { operationId: 'a', keyword: 'format:uuid', message: "operation 'a': rule 'format:uuid'" },
        ...Array.from({ length: 10 }, (_, i) => ({
          operationId: `op${i}`,
          keyword: 'parameter-schema',
          message: `operation 'op${i}': API Gateway only checks presence: p${i}`,
        })),
      ],
      'S.Api.secure-api-findings.json',
    );
    expect(grouped.map((g) => [g.id, g.level, g.message, g.details.length])).toEqual([
      ['cdk-secure-api:format', 'warning', "operation 'a': rule 'format:uuid'", 1],
      [
        'cdk-secure-api:parameter-schema',
        'warning',
        "10 finding(s) of kind 'parameter-schema' on 10 operation(s) ('op0', 'op1', 'op2', 'op3', 'op4', 'op5', 'op6', 'op7' and 2 more); the first: API Gateway only checks presence: p0. Every operation's detail is in S.Api.secure-api-findings.json in the cloud assembly",
        10,
      ],
    ]);
    expect(SHOWN_OPERATIONS).toBe(8);
  });
});

describe('a 346-operation document', () => {
  const document = largeCommerceDocument();
  const app = new App();
  const stack = new Stack(app, 'Commerce', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SecureApi(stack, 'Api', { openApi: OpenApi.fromObject(document), defaultIntegration: OperationIntegration.mock() });
  const warnings = Annotations.fromStack(stack)
    .findWarning('/Commerce/Api', Match.anyValue())
    .map((w) => String(w.entry.data));
  const analyzed = analyzeDocument(OpenApi.fromObject(document).load());

  it('gives at most a dozen warnings, each with a stable acknowledgeable id', () => {
    expect(analyzed.operations).toHaveLength(346);
    expect(analyzed.warnings.length).toBeGreaterThan(600);
    expect(warnings.length).toBeLessThanOrEqual(12);
    expect(warnings.map((w) => / \[ack: (cdk-secure-api:[^\]]+)\]$/.exec(w)?.[1]).sort()).toEqual([
      'cdk-secure-api:content-type',
      'cdk-secure-api:format',
      'cdk-secure-api:no-auth',
      'cdk-secure-api:parameter-schema',
    ]);
  });

  it('writes every finding of the pipeline, per operation, to the file the warnings name', () => {
    const outdir = app.synth().directory;
    const file = 'Commerce.Api.secure-api-findings.json';
    const written = JSON.parse(readFileSync(path.join(outdir, file), 'utf8'));
    for (const id of Object.keys(written)) expect(warnings.find((w) => w.endsWith(`[ack: ${id}]`))).toContain(file);
    const messages = Object.values<any>(written).flatMap((kind) => kind.findings.map((f: any) => f.message));
    expect(messages.sort()).toEqual(analyzed.warnings.map((w) => w.message).sort());
    expect(written['cdk-secure-api:parameter-schema'].findings[0]).toEqual({
      operationId: 'list0',
      message:
        "operation 'list0': API Gateway only checks that required parameters are present, so these parameter rules are not enforced: limit (type:integer, minimum, maximum); starting_after (maxLength); created (format:date-time)",
    });
  });

  it('lets a grouped warning be acknowledged by its id', () => {
    const app2 = new App();
    const stack2 = new Stack(app2, 'Commerce');
    const api = new SecureApi(stack2, 'Api', {
      openApi: OpenApi.fromObject(largeCommerceDocument(2)),
      defaultIntegration: OperationIntegration.mock(),
    });
    CoreAnnotations.of(api).acknowledgeWarning('cdk-secure-api:parameter-schema', 'the backend validates its parameters');
    const ids = Annotations.fromStack(stack2)
      .findWarning('/Commerce/Api', Match.anyValue())
      .map((w) => / \[ack: ([^\]]+)\]$/.exec(String(w.entry.data))?.[1]);
    expect(ids).not.toContain('cdk-secure-api:parameter-schema');
    expect(ids).toContain('cdk-secure-api:format');
  });
});
