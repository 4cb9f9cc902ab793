import { Size, Token } from 'aws-cdk-lib';
import { SecureApiConfigError } from '../model/config-error';

/** CloudFormation's template limit (an S3-hosted template, and the template after its transforms are processed). */
export const TEMPLATE_LIMIT_BYTES = 1_000_000;
/** API Gateway's limit on an imported OpenAPI definition. */
export const IMPORT_LIMIT_BYTES = 6 * 1024 * 1024;
/** The default of `BodyPlacement.auto()`: bodies up to this size stay inline. */
export const DEFAULT_MAX_INLINE_SIZE = Size.kibibytes(300);

/** Options of {@link BodyPlacement.auto}. */
export interface AutoBodyPlacementOptions {
  /**
   * The largest body, serialized without whitespace, that stays inline in the template. Larger bodies go to S3.
   * At most 1,000,000 bytes (CloudFormation's template limit).
   * @default Size.kibibytes(300)
   */
  readonly maxInlineSize?: Size;
}

/**
 * Where the API Gateway import body goes: inline in the RestApi's `Body`, or in an S3 asset that the
 * `Body` includes through the `AWS::Include` transform (CloudFormation still resolves the Lambda and
 * authorizer ARNs in it).
 */
export class BodyPlacement {
  /** Inline up to `maxInlineSize` (300 KiB by default), in S3 above, or when the inline body alone would pass 1 MB. */
  public static auto(options: AutoBodyPlacementOptions = {}): BodyPlacement {
    return new BodyPlacement('auto', options.maxInlineSize ?? DEFAULT_MAX_INLINE_SIZE);
  }

  /** Always inline: the body shows in `cdk diff` and snapshots. A body that cannot fit in a 1 MB template is a synth error. */
  public static inline(): BodyPlacement {
    return new BodyPlacement('inline');
  }

  /** Always in S3, included with `AWS::Include` (deploy with change sets, the CDK CLI default). */
  public static s3(): BodyPlacement {
    return new BodyPlacement('s3');
  }

  private constructor(
    /** 'auto', 'inline' or 's3'. */
    public readonly mode: string,
    /** The largest inline body in auto mode. */
    public readonly maxInlineSize?: Size,
  ) {}
}

/** The measured body, for the decision. */
export interface BodySizes {
  /** Bytes of the resolved body serialized without whitespace (what the S3 object holds). */
  readonly compactBytes: number;
  /** Bytes the body takes in the template as `cdk synth` writes it (indented, or not when the stack suppresses indentation). */
  readonly writtenBytes: number;
}

/** The decision: where the body goes, and what to tell the user. */
export interface BodyPlacementDecision {
  readonly location: 'inline' | 's3';
  /** Why, for the synth info. */
  readonly reason: string;
}

const n = (bytes: number) => bytes.toLocaleString('en-US');

/**
 * Decides where the body goes, or throws a synth error naming the limit it would break.
 * Pure: sizes in, decision out.
 */
export function decideBodyPlacement(placement: BodyPlacement, sizes: BodySizes, label: string): BodyPlacementDecision {
  const maxInline = validateBodyPlacement(placement, label);
  if (sizes.compactBytes > IMPORT_LIMIT_BYTES) {
    throw new SecureApiConfigError(
      label,
      'bodyPlacement',
      `cannot place the API body: it is ${n(sizes.compactBytes)} bytes, above API Gateway's 6 MB (${n(IMPORT_LIMIT_BYTES)} bytes) limit on an imported definition. Split the document into several APIs (excludeOperations).`,
    );
  }
  if (sizes.compactBytes > TEMPLATE_LIMIT_BYTES) {
    throw new SecureApiConfigError(
      label,
      'bodyPlacement',
      `cannot place the API body: it is ${n(sizes.compactBytes)} bytes; CloudFormation inserts an AWS::Include file into the template before processing it, and the processed template may not exceed 1 MB (${n(TEMPLATE_LIMIT_BYTES)} bytes), so no placement can deploy it. Split the document into several APIs (excludeOperations).`,
    );
  }
  if (placement.mode === 'inline') {
    if (sizes.writtenBytes > TEMPLATE_LIMIT_BYTES) {
      throw new SecureApiConfigError(
        label,
        'bodyPlacement',
        `is BodyPlacement.inline(), but the API body takes ${n(sizes.writtenBytes)} bytes of the template, above CloudFormation's 1 MB (${n(TEMPLATE_LIMIT_BYTES)} bytes) template limit. Use BodyPlacement.auto() or BodyPlacement.s3(), or set suppressTemplateIndentation on the stack.`,
      );
    }
    return { location: 'inline', reason: 'BodyPlacement.inline()' };
  }
  if (placement.mode === 's3') return { location: 's3', reason: 'BodyPlacement.s3()' };
  if (sizes.compactBytes > maxInline!) {
    return {
      location: 's3',
      reason: `the body (${n(sizes.compactBytes)} bytes) is larger than bodyPlacement's maxInlineSize (${n(maxInline!)} bytes)`,
    };
  }
  // A body under the threshold that still cannot fit in the template as written (a high maxInlineSize, indentation).
  if (sizes.writtenBytes > TEMPLATE_LIMIT_BYTES) {
    return {
      location: 's3',
      reason: `the body takes ${n(sizes.writtenBytes)} bytes of the template as written, above CloudFormation's 1 MB template limit`,
    };
  }
  return { location: 'inline', reason: `the body (${n(sizes.compactBytes)} bytes) is within maxInlineSize (${n(maxInline!)} bytes)` };
}

/** Checks a placement's options; returns the inline limit in bytes for auto mode. */
export function validateBodyPlacement(placement: BodyPlacement, label: string): number | undefined {
  if (!(placement instanceof BodyPlacement)) {
    throw new SecureApiConfigError(label, 'bodyPlacement', `must be BodyPlacement.auto(), BodyPlacement.inline() or BodyPlacement.s3()`);
  }
  if (placement.mode !== 'auto') return undefined;
  const size = placement.maxInlineSize!;
  if (!(size instanceof Size))
    throw new SecureApiConfigError(label, 'bodyPlacement.maxInlineSize', `must be a Size (Size.kibibytes(300)), got ${String(size)}`);
  const bytes = size.toBytes();
  if (Token.isUnresolved(bytes) || !Number.isInteger(bytes) || bytes < 1 || bytes > TEMPLATE_LIMIT_BYTES) {
    throw new SecureApiConfigError(
      label,
      'bodyPlacement.maxInlineSize',
      `must be between 1 byte and ${n(TEMPLATE_LIMIT_BYTES)} bytes (CloudFormation's template limit), got ${Token.isUnresolved(bytes) ? 'a token' : `${n(bytes)} bytes`}`,
    );
  }
  return bytes;
}
