import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OpenApi, OperationIntegration, SecureApi, SecureApiProps } from '../../lib';
import { BodyPlacement } from '../../lib/body';
import { nagFindings } from '../helpers/nag';
import { largeDocument } from './large-document';

const SMALL = largeDocument(3);

/** One app, stack, backend and SecureApi; synthesized into a cloud assembly. */
function build(document: Record<string, unknown>, props: Partial<SecureApiProps> = {}, stackName = 'BodyTest') {
  const app = new App();
  const stack = new Stack(app, stackName);
  const backend = new lambda.Function(stack, 'Backend', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
  });
  const api = new SecureApi(stack, 'Api', {
    openApi: OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.lambda(backend),
    ...props,
  });
  return { app, stack, backend, api };
}

function synth(document: Record<string, unknown>, props: Partial<SecureApiProps> = {}) {
  const built = build(document, props);
  const assembly = built.app.synth();
  const artifact = assembly.getStackByName(built.stack.stackName);
  const templateFile = join(assembly.directory, artifact.templateFile);
  return { ...built, assembly, templateFile, templateText: readFileSync(templateFile, 'utf8'), template: Template.fromStack(built.stack) };
}

function restApi(template: Template): { Properties: { Body: any; FailOnWarnings?: boolean } } {
  return Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0] as any;
}

function deploymentId(template: Template): string {
  return Object.keys(template.findResources('AWS::ApiGateway::Deployment'))[0];
}

function backendId(stack: Stack, backend: lambda.Function): string {
  return stack.resolve((backend.node.defaultChild as lambda.CfnFunction).logicalId);
}

describe('a small document (BodyPlacement.auto() by default)', () => {
  const { template, assembly } = synth(SMALL);

  it('keeps the body inline in the RestApi, unchanged', () => {
    const body = restApi(template).Properties.Body;
    expect(body.openapi).toBe('3.0.1');
    expect(Object.keys(body.paths)).toEqual(['/things0000', '/things0000/{thingId}']);
    expect(JSON.stringify(body)).not.toContain('Fn::Transform');
  });

  it('publishes no body asset', () => {
    const assets = JSON.parse(readFileSync(join(assembly.directory, 'BodyTest.assets.json'), 'utf8'));
    expect(
      Object.values(assets.files).filter((f: any) => f.source.packaging === 'file' && String(f.source.path).startsWith('asset.')),
    ).toEqual([]);
  });
});

describe('a 600-operation document (BodyPlacement.auto() by default)', () => {
  let built: ReturnType<typeof synth>;
  let changed: ReturnType<typeof synth>;
  let location: any;
  let assetFile: string;
  beforeAll(() => {
    built = synth(largeDocument(600));
    changed = synth(largeDocument(600, 'v2'));
    location = restApi(built.template).Properties.Body['Fn::Transform'].Parameters.Location;
    const key = /\/([0-9a-f]{64}\.json)$/.exec(location['Fn::Sub'])![1];
    assetFile = join(built.assembly.directory, `asset.${key}`);
  });

  it("puts the body in S3 and includes it into the RestApi's Body with AWS::Include", () => {
    expect(restApi(built.template).Properties.Body).toEqual({
      'Fn::Transform': {
        Name: 'AWS::Include',
        Parameters: {
          Location: {
            'Fn::Sub': expect.stringMatching(/^s3:\/\/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}\/[0-9a-f]{64}\.json$/),
          },
        },
      },
    });
    expect(restApi(built.template).Properties.FailOnWarnings).toBe(true);
  });

  it('stages the body as an asset file holding the intrinsics CloudFormation resolves (the backend ARN)', () => {
    const body = JSON.parse(readFileSync(assetFile, 'utf8'));
    expect(Object.keys(body.paths)).toHaveLength(400);
    const uri = body.paths['/things0000'].get['x-amazon-apigateway-integration'].uri;
    expect(JSON.stringify(uri)).toContain(JSON.stringify({ 'Fn::GetAtt': [backendId(built.stack, built.backend), 'Arn'] }));
  });

  it('writes the asset file without whitespace and with sorted keys', () => {
    const text = readFileSync(assetFile, 'utf8');
    expect(text).not.toMatch(/\n/);
    expect(Object.keys(JSON.parse(text))).toEqual([...Object.keys(JSON.parse(text))].sort());
  });

  it('keeps the template well under 1 MB', () => {
    expect(Buffer.byteLength(built.templateText)).toBeLessThan(200_000);
  });

  it('leaks no machine path into the template or the asset manifest', () => {
    const manifest = readFileSync(join(built.assembly.directory, 'BodyTest.assets.json'), 'utf8');
    for (const text of [built.templateText, manifest]) {
      for (const machinePath of [tmpdir(), homedir(), process.cwd(), 'cdk-secure-api-bodies']) expect(text).not.toContain(machinePath);
    }
  });

  it('gives the deployment a new logical id and the body a new S3 key when the body changes', () => {
    expect(deploymentId(changed.template)).not.toBe(deploymentId(built.template));
    const changedLocation = restApi(changed.template).Properties.Body['Fn::Transform'].Parameters.Location;
    expect(changedLocation).not.toEqual(location);
  });

  it('says where the body went and why', () => {
    Annotations.fromStack(built.stack).hasInfo(
      '/BodyTest/Api/Body',
      Match.stringLikeRegexp(
        "the API body \\([0-9,]+ bytes\\) is published to S3 and included with AWS::Include, because the body .* is larger than bodyPlacement's maxInlineSize \\(307,200 bytes\\)",
      ),
    );
  });

  it('passes the five cdk-nag packs and aws-cdk-lib CloudFormation validation', () => {
    expect(nagFindings(built.api)).toEqual([]);
    const reportFile = join(built.assembly.directory, 'validation-report.json');
    const reports = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')).pluginReports : [];
    expect(reports).toEqual([]);
  });
});

describe('explicit placements', () => {
  it('BodyPlacement.s3() puts even a small body in S3', () => {
    const { template } = synth(SMALL, { bodyPlacement: BodyPlacement.s3() });
    expect(Object.keys(restApi(template).Properties.Body)).toEqual(['Fn::Transform']);
  });

  it('BodyPlacement.auto({ maxInlineSize }) moves a body above the given size to S3', () => {
    const { template } = synth(SMALL, { bodyPlacement: BodyPlacement.auto({ maxInlineSize: Size.bytes(1_000) }) });
    expect(Object.keys(restApi(template).Properties.Body)).toEqual(['Fn::Transform']);
  });

  it('BodyPlacement.inline() on a body that cannot fit in a 1 MB template is a synth error naming the limit', () => {
    expect(() => build(largeDocument(900), { bodyPlacement: BodyPlacement.inline() })).toThrow(
      /^SecureApi 'BodyTest\/Api': bodyPlacement is BodyPlacement.inline\(\), but the API body takes [0-9,]+ bytes of the template, above CloudFormation's 1 MB \(1,000,000 bytes\) template limit\. Use BodyPlacement.auto\(\) or BodyPlacement.s3\(\), or set suppressTemplateIndentation on the stack\.$/,
    );
  });
});

describe('a body in S3 that changes after it was published', () => {
  it('fails synth when the backend logical id is overridden after SecureApi was created', () => {
    const { app, backend } = build(SMALL, { bodyPlacement: BodyPlacement.s3() });
    (backend.node.defaultChild as lambda.CfnFunction).overrideLogicalId('RenamedBackend');
    expect(() => app.synth()).toThrow(/the API body changed after it was published to S3/);
  });

  it('fails synth when the body refers to a function in another stack', () => {
    const app = new App();
    const backends = new Stack(app, 'Backends');
    const backend = new lambda.Function(backends, 'Backend', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })'),
    });
    const stack = new Stack(app, 'ApiStack');
    new SecureApi(stack, 'Api', {
      openApi: OpenApi.fromObject(SMALL),
      defaultIntegration: OperationIntegration.lambda(backend),
      bodyPlacement: BodyPlacement.s3(),
    });
    expect(() => app.synth()).toThrow(/the API body published to S3 refers to Backend[0-9A-F]{8}, which is not in stack ApiStack/);
  });
});

describe('bodyPlacement props', () => {
  it.each([
    [
      BodyPlacement.auto({ maxInlineSize: Size.bytes(0) }),
      "SecureApi 'BodyTest/Api': bodyPlacement.maxInlineSize must be between 1 byte and 1,000,000 bytes (CloudFormation's template limit), got 0 bytes",
    ],
    [
      BodyPlacement.auto({ maxInlineSize: Size.mebibytes(2) }),
      "SecureApi 'BodyTest/Api': bodyPlacement.maxInlineSize must be between 1 byte and 1,000,000 bytes (CloudFormation's template limit), got 2,097,152 bytes",
    ],
    [
      { mode: 's3' } as unknown as BodyPlacement,
      "SecureApi 'BodyTest/Api': bodyPlacement must be BodyPlacement.auto(), BodyPlacement.inline() or BodyPlacement.s3()",
    ],
  ])('rejects %p with a clear error', (bodyPlacement, message) => {
    expect(() => build(SMALL, { bodyPlacement })).toThrow(message);
  });
});
