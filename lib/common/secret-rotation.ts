import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of {@link scheduleSecretRotation}. */
export interface SecretRotationScheduleProps {
  readonly secretArn: string;
  /** The rotation function; Secrets Manager alone may invoke it, for this secret and this account. */
  readonly rotationFunction: lambda.IFunction;
  /** Whole days between rotations (1–1000). */
  readonly periodDays: number;
  /** Whether CloudFormation starts a rotation as soon as the schedule is created or changed. */
  readonly rotateImmediatelyOnUpdate: boolean;
  /** The construct ids of the invoke permission and of the schedule, under `scope`. */
  readonly ids: { readonly permission: string; readonly schedule: string };
}

/**
 * A Secrets Manager rotation schedule driving one of our rotation functions: the invoke permission names the
 * secret and the account (Control Tower CT.LAMBDA.PR.2), and the schedule waits for the permission and the
 * function's role, since a rotation may start the moment the schedule exists.
 */
export function scheduleSecretRotation(scope: Construct, props: SecretRotationScheduleProps): secretsmanager.CfnRotationSchedule {
  const fn = props.rotationFunction;
  const permission = new lambda.CfnPermission(scope, props.ids.permission, {
    action: 'lambda:InvokeFunction',
    functionName: fn.functionArn,
    principal: 'secretsmanager.amazonaws.com',
    sourceAccount: Stack.of(scope).account,
    sourceArn: props.secretArn,
  });
  const schedule = new secretsmanager.CfnRotationSchedule(scope, props.ids.schedule, {
    secretId: props.secretArn,
    rotationLambdaArn: fn.functionArn,
    rotationRules: { automaticallyAfterDays: props.periodDays },
    rotateImmediatelyOnUpdate: props.rotateImmediatelyOnUpdate,
  });
  schedule.node.addDependency(permission, ...(fn.role ? [fn.role] : []));
  return schedule;
}

/** Use of a secret's customer-managed key through Secrets Manager only, and for that secret only. */
export function secretKeyThroughSecretsManager(key: kms.IKey, secretArn: string, region: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'SecretEncryptionThroughSecretsManager',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn },
    },
  });
}
