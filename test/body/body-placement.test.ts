import { Size } from 'aws-cdk-lib';
import { BodyPlacement, decideBodyPlacement } from '../../lib/body';

const LABEL = 'Stack/Api';

describe('decideBodyPlacement', () => {
  it('keeps a body of at most maxInlineSize (300 KiB by default) inline', () => {
    expect(decideBodyPlacement(BodyPlacement.auto(), { compactBytes: 307_200, writtenBytes: 600_000 }, LABEL).location).toBe('inline');
  });

  it('puts a body above maxInlineSize in S3', () => {
    expect(decideBodyPlacement(BodyPlacement.auto(), { compactBytes: 307_201, writtenBytes: 600_000 }, LABEL)).toEqual({
      location: 's3',
      reason: "the body (307,201 bytes) is larger than bodyPlacement's maxInlineSize (307,200 bytes)",
    });
  });

  it('puts a body under maxInlineSize in S3 when the template as written could not hold it', () => {
    const decision = decideBodyPlacement(
      BodyPlacement.auto({ maxInlineSize: Size.bytes(900_000) }),
      { compactBytes: 800_000, writtenBytes: 1_000_001 },
      LABEL,
    );
    expect(decision.location).toBe('s3');
  });

  it('honours inline() and s3() whatever the size within the limits', () => {
    expect(decideBodyPlacement(BodyPlacement.inline(), { compactBytes: 700_000, writtenBytes: 1_000_000 }, LABEL).location).toBe('inline');
    expect(decideBodyPlacement(BodyPlacement.s3(), { compactBytes: 10, writtenBytes: 20 }, LABEL).location).toBe('s3');
  });

  it('rejects inline() when the body alone would pass the 1 MB template limit', () => {
    expect(() => decideBodyPlacement(BodyPlacement.inline(), { compactBytes: 700_000, writtenBytes: 1_000_001 }, LABEL)).toThrow(
      "SecureApi 'Stack/Api': bodyPlacement is BodyPlacement.inline(), but the API body takes 1,000,001 bytes of the template, above CloudFormation's 1 MB (1,000,000 bytes) template limit. Use BodyPlacement.auto() or BodyPlacement.s3(), or set suppressTemplateIndentation on the stack.",
    );
  });

  it('rejects a body above 1 MB whatever the placement: the processed template includes it', () => {
    for (const placement of [BodyPlacement.auto(), BodyPlacement.s3(), BodyPlacement.inline()]) {
      expect(() => decideBodyPlacement(placement, { compactBytes: 1_000_001, writtenBytes: 1_900_000 }, LABEL)).toThrow(
        "SecureApi 'Stack/Api': bodyPlacement cannot place the API body: it is 1,000,001 bytes; CloudFormation inserts an AWS::Include file into the template before processing it, and the processed template may not exceed 1 MB (1,000,000 bytes), so no placement can deploy it. Split the document into several APIs (excludeOperations).",
      );
    }
  });

  it("rejects a body above API Gateway's 6 MB import limit, naming the size", () => {
    expect(() => decideBodyPlacement(BodyPlacement.s3(), { compactBytes: 6_291_457, writtenBytes: 9_000_000 }, LABEL)).toThrow(
      "SecureApi 'Stack/Api': bodyPlacement cannot place the API body: it is 6,291,457 bytes, above API Gateway's 6 MB (6,291,456 bytes) limit on an imported definition. Split the document into several APIs (excludeOperations).",
    );
  });
});
