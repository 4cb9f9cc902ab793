import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Rule } from '@aws-sdk/client-wafv2';
import { ORIGIN_VERIFY_RULE_NAME } from '../../../contracts/origin-secret-rotation';
import { OpenApi, OperationIntegration, SecureApi } from '../../../lib';
import {
  acceptedOriginValues,
  UnexpectedOriginRuleError,
  withAcceptedOriginValues,
} from '../../../lambda/origin-secret-rotation/origin-rule';
import { originRule } from './world';

const other: Rule = {
  Name: 'RateLimit',
  Priority: 1,
  Action: { Block: {} },
  Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
  VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'RateLimit' },
};

/** The web ACL rules of a synthesized edge-mode SecureApi, as GetWebACL would return them once deployed. */
function deployedRules(originSecret: string): Rule[] {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.com',
  });
  new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject({
      openapi: '3.0.3',
      info: { title: 'P', version: '1' },
      paths: { '/p': { get: { operationId: 'p', security: [], responses: { '200': { description: 'ok' } } } } },
    }),
    defaultIntegration: OperationIntegration.mock(),
    domain: { name: 'api.example.com', hostedZone },
    edge: {},
  });
  const regional = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')).find(
    (w: any) => w.Properties.Scope === 'REGIONAL',
  )!;
  // CloudFormation resolves the dynamic reference; the SDK returns a byte match's search string as bytes.
  const deployed = JSON.parse(JSON.stringify(regional.Properties.Rules), (key, value) =>
    key === 'SearchString' && typeof value === 'object' ? new TextEncoder().encode(originSecret) : value,
  );
  return deployed;
}

describe('acceptedOriginValues', () => {
  it('reads the one value of the rule SecureApi synthesizes, once CloudFormation resolved it', () => {
    const rules = deployedRules('origin-value-deployed');
    expect(rules.some((r) => r.Name === ORIGIN_VERIFY_RULE_NAME)).toBe(true);
    expect(acceptedOriginValues(rules)).toEqual(['origin-value-deployed']);
  });

  it('reads every value of an OR of exact matches, in order', () => {
    expect(acceptedOriginValues([originRule(['a-value', 'b-value']), other])).toEqual(['a-value', 'b-value']);
  });

  it.each<[string, (rule: Rule) => Rule, string]>([
    ['counts instead of blocking', (r) => ({ ...r, Action: { Count: {} } }), 'does not block'],
    ['is not a NOT statement', (r) => ({ ...r, Statement: r.Statement!.NotStatement!.Statement }), 'is not a NOT statement'],
    [
      'matches another header',
      (r) => {
        const copy = structuredClone(r);
        copy.Statement!.NotStatement!.Statement!.ByteMatchStatement!.FieldToMatch = { SingleHeader: { Name: 'x-other' } };
        return copy;
      },
      'matches something other than the x-secureapi-origin-verify header',
    ],
    [
      'matches a prefix only',
      (r) => {
        const copy = structuredClone(r);
        copy.Statement!.NotStatement!.Statement!.ByteMatchStatement!.PositionalConstraint = 'STARTS_WITH';
        return copy;
      },
      'holds a match that is not EXACTLY',
    ],
    [
      'lowercases the header first',
      (r) => {
        const copy = structuredClone(r);
        copy.Statement!.NotStatement!.Statement!.ByteMatchStatement!.TextTransformations = [{ Priority: 0, Type: 'LOWERCASE' }];
        return copy;
      },
      'transforms the header before matching',
    ],
  ])('refuses a rule that %s, so a hand-edited rule is never rewritten into something else', (_what, change, reason) => {
    expect(() => acceptedOriginValues([change(originRule(['a-value'])), other])).toThrow(new UnexpectedOriginRuleError(reason));
  });

  it('refuses a web ACL without the rule, or with two of them', () => {
    expect(() => acceptedOriginValues([other])).toThrow('rule is missing');
    expect(() => acceptedOriginValues([originRule(['a']), originRule(['b'])])).toThrow('rule appears more than once');
  });
});

describe('withAcceptedOriginValues', () => {
  it('accepts exactly the values given, once each, keeping the other rules and the rule’s own settings', () => {
    const before = [originRule(['old-value'], 0), other];
    const after = withAcceptedOriginValues(before, ['old-value', 'new-value', 'new-value']);
    expect(acceptedOriginValues(after)).toEqual(['old-value', 'new-value']);
    expect(after[1]).toBe(other);
    expect({ ...after[0], Statement: undefined }).toEqual({ ...before[0], Statement: undefined });
    expect(after[0].Statement!.NotStatement!.Statement!.OrStatement!.Statements).toHaveLength(2);
  });

  it('writes a single value as one exact match (WAF wants at least two statements in an OR)', () => {
    const after = withAcceptedOriginValues([originRule(['a', 'b'])], ['b']);
    expect(after[0].Statement!.NotStatement!.Statement!.ByteMatchStatement).toBeDefined();
    expect(acceptedOriginValues(after)).toEqual(['b']);
  });

  it('never leaves the rule accepting nothing, or a value WAF cannot hold', () => {
    expect(() => withAcceptedOriginValues([originRule(['a'])], [])).toThrow('the origin rule must accept at least one value');
    expect(() => withAcceptedOriginValues([originRule(['a'])], [''])).toThrow('an origin secret must be 1 to 200 bytes, got 0');
    expect(() => withAcceptedOriginValues([originRule(['a'])], ['x'.repeat(201)])).toThrow('got 201');
  });

  it('does not change the rules it was given', () => {
    const before = [originRule(['a'])];
    const copy = structuredClone(before);
    withAcceptedOriginValues(before, ['b']);
    expect(before).toEqual(copy);
  });
});
