import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';

import { ORIGIN_VERIFY_HEADER, ORIGIN_VERIFY_RULE_NAME } from '../../contracts/origin-secret-rotation';

export { ORIGIN_VERIFY_HEADER };
/** The header our CloudFront function sets to the viewer's address (clients cannot forge it through the front). */
export const CLIENT_IP_HEADER = 'x-secureapi-client-ip';

/**
 * What the WAF concern needs so the API rejects requests that bypass the CloudFront front. The root
 * passes it on; the web ACL puts {@link originVerificationRule} first.
 */
export interface OriginVerification {
  /** The header CloudFront adds to every origin request. */
  readonly headerName: string;
  /**
   * The value the header must have: a `{{resolve:secretsmanager:...}}` dynamic reference to a generated
   * secret, which CloudFormation resolves at deploy time, so the template never holds the value.
   */
  readonly expectedValue: string;
  /** A previous value still accepted while a rotation propagates to CloudFront's edge locations. */
  readonly previousValue?: string;
  /** Where CloudFront puts the viewer's address: use it as the forwarded-IP header of rate and IP rules. */
  readonly clientIpHeader: string;
  /** Headers the WAF log must redact, because they carry the secret. */
  readonly redactedHeaders: string[];
}

/**
 * A web ACL rule that blocks every request whose origin-verify header is missing or wrong. It costs
 * 2 WCU (one exact byte match on a single header, no text transformation), 4 during a rotation. Put it
 * first, so requests that bypass CloudFront are rejected before any other rule counts them.
 */
export function originVerificationRule(
  verification: OriginVerification,
  priority: number,
  metricName: string,
): wafv2.CfnWebACL.RuleProperty {
  const matches = (value: string): wafv2.CfnWebACL.StatementProperty => ({
    byteMatchStatement: {
      fieldToMatch: { singleHeader: { Name: verification.headerName } },
      positionalConstraint: 'EXACTLY',
      searchString: value,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  });
  const accepted =
    verification.previousValue === undefined
      ? matches(verification.expectedValue)
      : { orStatement: { statements: [matches(verification.expectedValue), matches(verification.previousValue)] } };
  return {
    name: ORIGIN_VERIFY_RULE_NAME,
    priority,
    action: { block: {} },
    statement: { notStatement: { statement: accepted } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName },
  };
}
