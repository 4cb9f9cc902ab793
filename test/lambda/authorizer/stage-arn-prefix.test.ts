import { stageArnPrefix } from '../../../lambda/authorizer/authorizer';

describe('stageArnPrefix', () => {
  it('keeps the API and stage of a method ARN', () => {
    expect(stageArnPrefix('arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod/GET/pets/42')).toBe(
      'arn:aws:execute-api:eu-west-1:111111111111:a1b2c3d4e5/prod',
    );
  });

  it.each([
    undefined,
    42,
    '',
    'execute-api:eu-west-1:1:a/prod/GET/x',
    'arn:aws:execute-api:eu-west-1:1:a1b2c3d4e5',
    'arn:aws:execute-api:eu-west-1:1:a/prod',
  ])('gives nothing for %p, which is not a method ARN', (arn) => {
    expect(stageArnPrefix(arn)).toBeUndefined();
  });
});
