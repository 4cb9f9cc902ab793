import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * A customer-managed KMS key as every SecureApi key is made: rotation on, and a key policy that lets
 * only AWS services create grants (AWS Control Tower control CT.KMS.PR.3). A grant hands the key's use
 * to another principal outside the key policy; the services that encrypt for us (CloudWatch Logs, SNS,
 * Secrets Manager, S3) either use the key policy directly or create grants as an AWS service or for an
 * AWS resource, which the statement leaves allowed. Source: AWS KMS developer guide, "kms:GrantIsForAWSResource"
 * and the global condition key "aws:PrincipalIsAWSService".
 */
export function createSecureKey(scope: Construct, id: string, props: kms.KeyProps): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, ...props });
  key.addToResourcePolicy(grantsOnlyForAwsServices());
  return key;
}

/** Denies kms:CreateGrant unless the grant is for an AWS resource or the caller is an AWS service. */
export function grantsOnlyForAwsServices(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}
