import { awsServiceOf } from '../../lib/report/api-model';

describe('awsServiceOf', () => {
  const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

  it('names the service and action of an aws integration URI, from the literal parts of an Fn::Join', () => {
    expect(awsServiceOf(join('arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':events:action/PutEvents'))).toBe(
      'EventBridge PutEvents',
    );
    expect(awsServiceOf('arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution')).toBe('Step Functions StartSyncExecution');
    expect(awsServiceOf(join('arn:aws:apigateway:eu-west-1:sqs:path/', { Ref: 'AWS::AccountId' }, '/orders'))).toBe('SQS SendMessage');
  });

  it('never returns the resource or account, and falls back for a URI it cannot read', () => {
    expect(awsServiceOf('arn:aws:apigateway:eu-west-1:sqs:path/111111111111/orders')).not.toMatch(/111111111111|orders/);
    expect(awsServiceOf({ 'Fn::GetAtt': ['X', 'Arn'] })).toBe('an AWS service');
  });
});
