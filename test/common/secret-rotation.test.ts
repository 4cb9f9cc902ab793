import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { scheduleSecretRotation, secretKeyThroughSecretsManager } from '../../lib/common';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:S-AbCdEf';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('scheduleSecretRotation', () => {
  it('lets only Secrets Manager invoke the function, for this secret and account, and waits for that and the role', () => {
    const s = stack();
    const fn = new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('x'),
    });
    scheduleSecretRotation(s, {
      secretArn: SECRET_ARN,
      rotationFunction: fn,
      periodDays: 7,
      rotateImmediatelyOnUpdate: false,
      ids: { permission: 'Invoke', schedule: 'Schedule' },
    });
    const template = Template.fromStack(s);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '111111111111',
      SourceArn: SECRET_ARN,
    });
    const [schedule] = Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'));
    expect(schedule.Properties).toEqual({
      SecretId: SECRET_ARN,
      RotationLambdaARN: { 'Fn::GetAtt': [expect.stringMatching(/^Fn/), 'Arn'] },
      RotationRules: { AutomaticallyAfterDays: 7 },
      RotateImmediatelyOnUpdate: false,
    });
    expect(schedule.DependsOn).toEqual(expect.arrayContaining(['Invoke', expect.stringMatching(/^FnServiceRole/)]));
  });
});

describe('secretKeyThroughSecretsManager', () => {
  it('allows the key only through Secrets Manager in the region, and only for this secret', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    expect(s.resolve(secretKeyThroughSecretsManager(key, SECRET_ARN, 'eu-west-1').toStatementJson())).toEqual({
      Sid: 'SecretEncryptionThroughSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET_ARN },
      },
    });
  });
});
