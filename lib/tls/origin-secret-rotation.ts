import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_WAF_PROPAGATION_SECONDS, ORIGIN_SECRET_ROTATION_ENV } from '../../contracts/origin-secret-rotation';
import { HandlerFunction, scheduleSecretRotation, secretKeyThroughSecretsManager } from '../common';

/** The web ACL that holds the origin rule, as the composition root hands it over from the WAF concern. */
export interface OriginRuleWebAcl {
  readonly webAclArn: string;
  /** The IP sets, regex pattern sets and rule groups its rules reference: rewriting its rules needs them. */
  readonly referencedArns: readonly string[];
}

/** Props of {@link OriginSecretRotation}. */
export interface OriginSecretRotationProps {
  readonly secret: secretsmanager.ISecret;
  readonly encryptionKey: kms.IKey;
  readonly distribution: cloudfront.IDistribution;
  readonly webAcl: OriginRuleWebAcl;
  /** Whole days between rotations (1–1000, Secrets Manager's range). */
  readonly periodDays: number;
  readonly logGroup: logs.ILogGroup;
}

/**
 * Rotates the front's origin-verify secret on a schedule, without downtime: a Secrets Manager rotation function
 * (lambda/origin-secret-rotation) makes the web ACL accept the new value, waits for WAF to propagate, switches
 * CloudFront to it, waits until every edge location sends it, and only then drops the old value, so a value a
 * backend logged stops opening the API at the next rotation.
 */
export class OriginSecretRotation extends Construct {
  public readonly rotationFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: OriginSecretRotationProps) {
    super(scope, id);
    const secretArn = props.secret.secretArn;
    const fn = new HandlerFunction(this, 'Function', {
      handlerName: 'origin-secret-rotation',
      purpose: 'rotates the CloudFront origin-verify secret at the distribution and the web ACL',
      logGroup: props.logGroup,
      // Waiting for WAF to propagate and for CloudFront to reach every edge location takes minutes.
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      noDeadLetterQueueReason:
        'Only Secrets Manager invokes this rotation function, and it waits for each step: a failed step fails the rotation visibly (the function error-rate alarm) and is retried by Secrets Manager, so a dead-letter queue would receive nothing.',
      environment: {
        [ORIGIN_SECRET_ROTATION_ENV.secretArn]: secretArn,
        [ORIGIN_SECRET_ROTATION_ENV.distributionId]: props.distribution.distributionId,
        [ORIGIN_SECRET_ROTATION_ENV.webAclArn]: props.webAcl.webAclArn,
        [ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds]: String(DEFAULT_WAF_PROPAGATION_SECONDS),
      },
    });
    this.rotationFunction = fn;
    for (const statement of rotationStatements(props, Stack.of(this).region)) fn.addToRolePolicy(statement);

    scheduleSecretRotation(this, {
      secretArn,
      rotationFunction: fn,
      periodDays: props.periodDays,
      // The value CloudFormation just put into the distribution and the web ACL is fresh: the first rotation
      // comes one period after deployment, not while the distribution is still deploying.
      rotateImmediatelyOnUpdate: false,
      ids: { permission: 'InvokeBySecretsManager', schedule: 'Schedule' },
    });
  }
}

/**
 * Least privilege: this secret (through Secrets Manager only for its key), this distribution, this web ACL, and
 * UpdateWebACL on the resources its rules reference, which authorizes referencing them, not changing them.
 */
export function rotationStatements(props: OriginSecretRotationProps, region: string): iam.PolicyStatement[] {
  const secretArn = props.secret.secretArn;
  const distributionArn = `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${props.distribution.distributionId}`;
  return [
    new iam.PolicyStatement({
      sid: 'ThisOriginSecret',
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resources: [secretArn],
    }),
    secretKeyThroughSecretsManager(props.encryptionKey, secretArn, region),
    new iam.PolicyStatement({
      sid: 'TheFrontsOriginHeader',
      actions: ['cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
      resources: [distributionArn],
    }),
    new iam.PolicyStatement({
      sid: 'TheWebAclsOriginRule',
      actions: ['wafv2:GetWebACL', 'wafv2:UpdateWebACL'],
      resources: [props.webAcl.webAclArn],
    }),
    ...(props.webAcl.referencedArns.length === 0
      ? []
      : [
          new iam.PolicyStatement({
            sid: 'ResourcesTheWebAclReferences',
            actions: ['wafv2:UpdateWebACL'],
            resources: [...props.webAcl.referencedArns],
          }),
        ]),
  ];
}
