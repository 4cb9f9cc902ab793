import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Annotations, AssetHashType, CfnElement, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { writeContentAddressedDirectory } from '../common/content-addressed-directory';
import { BodyPlacement, BodyPlacementDecision, decideBodyPlacement } from './body-placement';

/** Props of {@link ApiBodyPlacement}. */
export interface ApiBodyPlacementProps {
  /** The import body, with CDK tokens (Lambda ARNs, authorizer ARNs...). */
  readonly body: { [key: string]: unknown };
  /** Where it goes. */
  readonly placement: BodyPlacement;
  /** The API's construct path, for messages. */
  readonly label: string;
}

/**
 * Places the API Gateway import body: inline, or as an S3 asset included into the RestApi's `Body`
 * with `AWS::Include`, so CloudFormation still resolves the intrinsic functions inside it
 * (`BodyS3Location` would import them as literal text).
 */
export class ApiBodyPlacement extends Construct {
  /** The definition to give `SpecRestApi`: the body, or the `Fn::Transform` that includes it. */
  public readonly apiDefinition: apigw.ApiDefinition;
  /** The body with its tokens resolved to CloudFormation intrinsics: hash it into the deployment's logical id. */
  public readonly resolvedBody: unknown;
  /** Where the body went and why. */
  public readonly decision: BodyPlacementDecision;
  /** The S3 asset holding the body, when it went to S3. */
  public readonly asset?: Asset;

  constructor(scope: Construct, id: string, props: ApiBodyPlacementProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.resolvedBody = stack.resolve(props.body);
    const compact = canonicalJson(this.resolvedBody);
    this.decision = decideBodyPlacement(
      props.placement,
      { compactBytes: Buffer.byteLength(compact), writtenBytes: writtenBytes(stack, this.resolvedBody) },
      props.label,
    );
    if (this.decision.location === 'inline') {
      this.apiDefinition = apigw.ApiDefinition.fromInline(props.body);
      return;
    }

    // Content-addressed: the same body always gives the same file, hash and S3 key; no machine path
    // reaches the template (the asset is staged into the cloud assembly as asset.<hash>.json).
    const hash = createHash('sha256').update(compact).digest('hex');
    const file = join(writeContentAddressedDirectory('body', [['body.json', compact]]), 'body.json');
    this.asset = new Asset(this, 'Asset', { path: file, assetHash: hash, assetHashType: AssetHashType.CUSTOM });
    this.apiDefinition = apigw.ApiDefinition.fromInline({
      'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: this.asset.s3ObjectUrl } },
    });
    Annotations.of(this).addInfo(
      `SecureApi '${props.label}': the API body (${Buffer.byteLength(compact).toLocaleString('en-US')} bytes) is published to S3 and included with AWS::Include, because ${this.decision.reason}. Deploy with change sets (the CDK CLI default).`,
    );

    // The file is written now, at construction; the template is rendered at synth. Fail if anything
    // the body refers to changed in between, or lives where an included file cannot reach it.
    this.node.addValidation({ validate: () => this.checkStillValid(stack, props.body, compact, props.label) });
  }

  private checkStillValid(stack: Stack, body: unknown, staged: string, label: string): string[] {
    const errors: string[] = [];
    const current = stack.resolve(body);
    if (canonicalJson(current) !== staged) {
      errors.push(
        `SecureApi '${label}': the API body changed after it was published to S3 (a logical id overridden, or a value set, after SecureApi was created). Make such changes before creating SecureApi, or use BodyPlacement.inline().`,
      );
    }
    const logicalIds = new Set(
      stack.node
        .findAll()
        .filter((c): c is CfnElement => CfnElement.isCfnElement(c))
        .map((e) => stack.resolve(e.logicalId) as string),
    );
    const missing = [...referencedLogicalIds(current)].filter((id) => !logicalIds.has(id)).sort();
    if (missing.length > 0) {
      errors.push(
        `SecureApi '${label}': the API body published to S3 refers to ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in stack ${stack.stackName}. CDK cannot turn references inside an included file into cross-stack exports: keep the backends in the API's stack, or use BodyPlacement.inline().`,
      );
    }
    return errors;
  }
}

/** JSON with object keys sorted and no whitespace: the same value always serializes to the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Bytes the body takes in the template as `cdk synth` writes it: indented by one space a level
 * (Resources > logical id > Properties > Body) unless the stack suppresses indentation.
 */
function writtenBytes(stack: Stack, resolved: unknown): number {
  // aws-cdk-lib keeps this flag private; it is set from StackProps or the @aws-cdk/core:suppressTemplateIndentation context.
  const suppressed = (stack as unknown as { _suppressTemplateIndentation?: boolean })._suppressTemplateIndentation === true;
  return Buffer.byteLength(JSON.stringify({ R: { L: { P: { B: resolved } } } }, undefined, suppressed ? undefined : 1));
}

/** Logical ids named by `Ref` and `Fn::GetAtt` in a resolved value (pseudo parameters left out). */
function referencedLogicalIds(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedLogicalIds(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) found.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') found.add(v[0]);
      else referencedLogicalIds(v, found);
    }
  }
  return found;
}
