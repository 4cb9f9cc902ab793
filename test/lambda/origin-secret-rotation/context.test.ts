import { ORIGIN_SECRET_ROTATION_ENV } from '../../../contracts/origin-secret-rotation';
import { readConfig, webAclFromArn } from '../../../lambda/origin-secret-rotation/context';

const env = {
  [ORIGIN_SECRET_ROTATION_ENV.secretArn]: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:S-AbCdEf',
  [ORIGIN_SECRET_ROTATION_ENV.distributionId]: 'E2EXAMPLE',
  [ORIGIN_SECRET_ROTATION_ENV.webAclArn]: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/Api-WebAcl_1/0123abcd-0123',
  [ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds]: '120',
};

describe('readConfig', () => {
  it('reads the secret, the distribution, the web ACL and the wait from the environment', () => {
    expect(readConfig(env)).toEqual({
      secretArn: env[ORIGIN_SECRET_ROTATION_ENV.secretArn],
      distributionId: 'E2EXAMPLE',
      webAcl: { name: 'Api-WebAcl_1', id: '0123abcd-0123', scope: 'REGIONAL' },
      wafPropagationMs: 120_000,
    });
  });

  it.each(Object.values(ORIGIN_SECRET_ROTATION_ENV))('names %s when it is missing', (name) => {
    expect(() => readConfig({ ...env, [name]: '' })).toThrow(`origin-secret-rotation: environment variable ${name} is not set`);
  });

  it('refuses a wait that is not a number of seconds', () => {
    expect(() => readConfig({ ...env, [ORIGIN_SECRET_ROTATION_ENV.wafPropagationSeconds]: '-5' })).toThrow('must be a number of seconds');
  });
});

describe('webAclFromArn', () => {
  it('reads a CLOUDFRONT-scope web ACL from its global ARN', () => {
    expect(webAclFromArn('arn:aws:wafv2:us-east-1:111122223333:global/webacl/Edge/abcd')).toEqual({
      name: 'Edge',
      id: 'abcd',
      scope: 'CLOUDFRONT',
    });
  });

  it('refuses an ARN that is not a web ACL', () => {
    expect(() => webAclFromArn('arn:aws:wafv2:eu-west-1:111122223333:regional/ipset/Blocked/abcd')).toThrow(
      'is not the ARN of a WAFv2 web ACL',
    );
  });
});
