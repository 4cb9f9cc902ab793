import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemoApp } from '../../bin/demo';
import { nagFindings } from '../helpers/nag';
import { findKeyMaterial } from './key-material';

describe('demo app: API keys', () => {
  const stack = buildDemoApp(new App(), false);
  const template = Template.fromStack(stack);

  it('declares two tiers and two consumers, each consumer rotated by its own function', () => {
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { AutomaticallyAfterDays: 30 } });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { AutomaticallyAfterDays: 90 } });
    expect(Object.keys(stack.api.apiKeys!.consumers).sort()).toEqual(['hobbyist', 'partner-a']);
  });

  it('requires a key on every document operation except the public health check (the docs routes have their own access)', () => {
    const body = Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
    expect(Object.keys(body.paths).filter((p) => p.startsWith('/docs'))).not.toEqual([]);
    for (const [p, item] of Object.entries<any>(body.paths)) {
      if (p.startsWith('/docs')) continue;
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === 'options' || typeof op !== 'object') continue;
        const requiresKey = (op.security ?? []).some((r: object) => 'api_key' in r);
        expect([`${method} ${p}`, requiresKey]).toEqual([`${method} ${p}`, op.operationId !== 'getHealth']);
      }
    }
  });

  it('holds no key value in the template, nor in the committed demo snapshot', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    expect(findKeyMaterial(template.toJSON())).toEqual([]);
    const snapshot = path.join(__dirname, '..', '__snapshots__', 'demo.test.ts.snap');
    if (existsSync(snapshot)) expect(findKeyMaterial(readFileSync(snapshot, 'utf8'))).toEqual([]);
  });

  it('leaves no unacknowledged cdk-nag finding in the API keys and the partner key reader', () => {
    expect(nagFindings(stack.api.apiKeys!)).toEqual([]);
    expect(nagFindings(stack.node.findChild('PartnerKeyReader'))).toEqual([]);
  });
});
