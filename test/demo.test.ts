import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildDemoApp } from '../bin/demo';
import { nagFindings } from './helpers/nag';
import { templateFindings } from './helpers/template-validation';

/** Asset hashes depend on bundle bytes; the snapshot should change only when the template does. */
function normalizeAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext) => `<asset-hash>${ext ?? ''}`));
}

describe('demo app', () => {
  const app = new App();
  const stack = buildDemoApp(app, false);
  const template = Template.fromStack(stack).toJSON();

  it('matches the snapshot (asset hashes normalized)', () => {
    expect(normalizeAssetHashes(template)).toMatchSnapshot();
  });

  it('passes AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1 and Serverless with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  it('passes CloudFormation Validate and the Control Tower rules (cfn-guard) with no finding, warnings included', () => {
    expect(templateFindings(stack)).toEqual([]);
  });

  it('synthesizes deterministically: no machine paths, identical output on a second synth', () => {
    const text = JSON.stringify(template);
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/\/(home|root|tmp|work)\//);
    const again = Template.fromStack(buildDemoApp(new App(), false)).toJSON();
    expect(again).toEqual(template);
  });

  it("synthesizes with all five packs and cfn-guard registered as validation plugins, under cdk.json's context", () => {
    // cdk.json's feature flags, validateAgainstDefaultRules included: a CloudFormation Validate finding fails this synth.
    const { context } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
    expect(context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
    const withPlugins = new App({ context });
    buildDemoApp(withPlugins, true);
    expect(() => withPlugins.synth()).not.toThrow();
  });
});
