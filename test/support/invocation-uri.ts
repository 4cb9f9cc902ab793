// The URI API Gateway invokes a Lambda function through (integrations and authorizers alike), as a
// synthesized template writes it: partition and region stay references, the function is what the stack knows of it.

function invocationUri(...functionPath: unknown[]): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ...functionPath]] };
}

/** For a function of the stack, by its logical id. */
export function synthesizedInvocationUri(functionLogicalId: string): unknown {
  return invocationUri(':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [functionLogicalId, 'Arn'] }, '/invocations');
}

/** For a function imported by its ARN. */
export function synthesizedInvocationUriOfArn(functionArn: string): unknown {
  return invocationUri(`:lambda:path/2015-03-31/functions/${functionArn}/invocations`);
}
