/**
 * What the CloudFront front (lib/tls) and the origin-secret rotation handler (lambda/origin-secret-rotation)
 * must agree on. Dependency-free: the handler bundles this file, so it holds names and numbers only.
 */

/** The header CloudFront adds to every request it forwards to the API. */
export const ORIGIN_VERIFY_HEADER = 'x-secureapi-origin-verify';

/** The name of the regional web ACL's rule that blocks requests without the origin header's value. */
export const ORIGIN_VERIFY_RULE_NAME = 'RequireCloudFrontOriginHeader';

/**
 * Length of a generated origin secret: 64 alphanumeric characters (about 381 random bits). WAF's byte match
 * takes a search string of up to 200 bytes, and CloudFront an origin header value of up to 1,783 characters.
 */
export const ORIGIN_SECRET_LENGTH = 64;

/** Environment variables of the rotation function (one function per front). */
export const ORIGIN_SECRET_ROTATION_ENV = {
  /** ARN of the one secret this function may rotate; events for any other secret are refused. */
  secretArn: 'SECUREAPI_SECRET_ARN',
  /** The CloudFront distribution whose origin sends the header. */
  distributionId: 'SECUREAPI_DISTRIBUTION_ID',
  /** ARN of the web ACL holding the origin rule (its name, id and scope are read from it). */
  webAclArn: 'SECUREAPI_WEB_ACL_ARN',
  /** Seconds to wait after the web ACL accepts a new value before CloudFront starts sending it. */
  wafPropagationSeconds: 'SECUREAPI_WAF_PROPAGATION_SECONDS',
} as const;

/**
 * How long the rotation waits between accepting a value at the web ACL and sending it from CloudFront:
 * AWS WAF says changes take "from a few seconds to a number of minutes" to propagate (UpdateWebACL, API reference).
 */
export const DEFAULT_WAF_PROPAGATION_SECONDS = 120;
