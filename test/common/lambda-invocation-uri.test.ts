import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { lambdaInvocationUri } from '../../lib/common/lambda-invocation-uri';

const PSEUDO = { 'AWS::Partition': 'aws-cn', 'AWS::Region': 'cn-north-1' };

/** The resolved URI as CloudFormation would render it in `cn-north-1` (only Fn::Join and pseudo-parameter Refs). */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: keyof typeof PSEUDO };
  if (v.Ref !== undefined) return PSEUDO[v.Ref];
  if (v['Fn::Join'] !== undefined) return v['Fn::Join'][1].map(render).join(v['Fn::Join'][0]);
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

function uriOf(functionArn: string): { resolved: unknown; rendered: string } {
  const stack = new Stack(new App(), 'Stack');
  const resolved = stack.resolve(lambdaInvocationUri(lambda.Function.fromFunctionArn(stack, 'Fn', functionArn)));
  return { resolved, rendered: render(resolved) };
}

describe('lambdaInvocationUri', () => {
  it('is the API Gateway Lambda invocation path of the function', () => {
    expect(uriOf('arn:aws-cn:lambda:cn-north-1:111122223333:function:orders').rendered).toBe(
      'arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:111122223333:function:orders/invocations',
    );
  });

  it('takes partition and region from the deployment (works outside the aws partition)', () => {
    const { resolved } = uriOf('arn:aws-cn:lambda:cn-north-1:111122223333:function:orders');
    const text = JSON.stringify(resolved);
    expect(text).toContain('{"Ref":"AWS::Partition"}');
    expect(text).toContain('{"Ref":"AWS::Region"}');
    expect(text).not.toContain('arn:aws:apigateway');
  });

  it('uses the ARN of a function alias as given (qualified invocation)', () => {
    expect(uriOf('arn:aws-cn:lambda:cn-north-1:111122223333:function:orders:live').rendered).toContain(
      '/functions/arn:aws-cn:lambda:cn-north-1:111122223333:function:orders:live/invocations',
    );
  });
});
