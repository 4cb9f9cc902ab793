import type { DistributionConfig } from '@aws-sdk/client-cloudfront';
import { originHeaderValues, withOriginHeaderValue } from '../../../lambda/origin-secret-rotation/distribution';

const config: DistributionConfig = {
  CallerReference: 'ref',
  Comment: 'front',
  Enabled: true,
  Origins: {
    Quantity: 2,
    Items: [
      {
        Id: 'api',
        DomainName: 'abc.execute-api.eu-west-1.amazonaws.com',
        CustomHeaders: {
          Quantity: 2,
          Items: [
            { HeaderName: 'X-SecureApi-Origin-Verify', HeaderValue: 'old-value' },
            { HeaderName: 'x-other', HeaderValue: 'kept' },
          ],
        },
      },
      { Id: 'assets', DomainName: 'assets.example.com' },
    ],
  },
  DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'redirect-to-https' },
};

describe('originHeaderValues', () => {
  it('reads the origin header of every origin that sends it, whatever its case', () => {
    expect(originHeaderValues(config)).toEqual(['old-value']);
  });

  it('reads nothing from a distribution whose origins do not send it', () => {
    expect(originHeaderValues({ ...config, Origins: { Quantity: 1, Items: [config.Origins!.Items![1]] } })).toEqual([]);
  });
});

describe('withOriginHeaderValue', () => {
  it('changes the origin header’s value and nothing else', () => {
    const after = withOriginHeaderValue(config, 'new-value');
    expect(originHeaderValues(after)).toEqual(['new-value']);
    const expected = structuredClone(config);
    expected.Origins!.Items![0].CustomHeaders!.Items![0].HeaderValue = 'new-value';
    expect(after).toEqual(expected);
    expect(originHeaderValues(config)).toEqual(['old-value']);
  });
});
