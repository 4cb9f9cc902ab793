import { ORIGIN_SECRET_ROTATION_ENV } from '../../../contracts/origin-secret-rotation';
import { readConfig, webAclFromArn, withoutSecrets } from '../../../lambda/origin-secret-rotation/context';

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

describe('withoutSecrets', () => {
  it('replaces every occurrence of the values in the message, the stack and the other text fields, and keeps the name', () => {
    const error = Object.assign(new Error('field: SEARCH_STRING, parameter: s3cr3t-new (was s3cr3t-old, s3cr3t-new)'), {
      name: 'WAFInvalidParameterException',
      Parameter: 's3cr3t-new',
      $metadata: { httpStatusCode: 400 },
    });
    const result = withoutSecrets(error, ['s3cr3t-old', 's3cr3t-new']) as typeof error;
    expect(result).toBe(error);
    expect(result.name).toBe('WAFInvalidParameterException');
    expect(result.message).toBe('field: SEARCH_STRING, parameter: [redacted] (was [redacted], [redacted])');
    expect(result.stack).not.toContain('s3cr3t');
    expect(result.Parameter).toBe('[redacted]');
    expect(result.$metadata).toEqual({ httpStatusCode: 400 });
  });

  it('leaves an error without the values, a non-error, and an empty value alone', () => {
    const error = new Error('Rate exceeded');
    expect(withoutSecrets(error, ['', 's3cr3t']) as Error).toMatchObject({ message: 'Rate exceeded' });
    expect(withoutSecrets('s3cr3t', ['s3cr3t'])).toBe('s3cr3t');
    expect(withoutSecrets(undefined, ['s3cr3t'])).toBeUndefined();
  });
});
