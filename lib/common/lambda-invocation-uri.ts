import { Aws } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The URI API Gateway invokes a Lambda function through (integrations and authorizers alike). */
export function lambdaInvocationUri(fn: lambda.IFunction): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`;
}
