import type { WebACL } from '@aws-sdk/client-wafv2';
import { updateRequestFor } from '../../../lambda/origin-secret-rotation/web-acl';
import { originRule } from './world';

describe('updateRequestFor', () => {
  const webAcl: WebACL = {
    Name: 'acl',
    Id: 'id-1',
    ARN: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/acl/id-1',
    DefaultAction: { Allow: {} },
    Description: 'web ACL',
    Rules: [originRule(['old'])],
    VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'acl' },
    Capacity: 700,
    LabelNamespace: 'awswaf:111122223333:webacl:acl:',
    ManagedByFirewallManager: false,
    RetrofittedByFirewallManager: false,
    PreProcessFirewallManagerRuleGroups: [],
    PostProcessFirewallManagerRuleGroups: [],
    CustomResponseBodies: { Throttled: { ContentType: 'APPLICATION_JSON', Content: '{}' } },
    CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
    ChallengeConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
    TokenDomains: ['api.example.com'],
    AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } },
    DataProtectionConfig: { DataProtections: [] },
  };

  it('hands back every setting the web ACL has, with the new rules and the lock token, and no read-only field', () => {
    const rules = [originRule(['new'])];
    const request = updateRequestFor(webAcl, 'REGIONAL', 'lock-7', rules);
    expect(request).toEqual({
      Name: 'acl',
      Id: 'id-1',
      Scope: 'REGIONAL',
      LockToken: 'lock-7',
      DefaultAction: { Allow: {} },
      Description: 'web ACL',
      Rules: rules,
      VisibilityConfig: webAcl.VisibilityConfig,
      CustomResponseBodies: webAcl.CustomResponseBodies,
      CaptchaConfig: webAcl.CaptchaConfig,
      ChallengeConfig: webAcl.ChallengeConfig,
      TokenDomains: ['api.example.com'],
      AssociationConfig: webAcl.AssociationConfig,
      DataProtectionConfig: webAcl.DataProtectionConfig,
    });
  });

  it('carries a setting it does not know (one WAF adds later) instead of resetting it', () => {
    const request = updateRequestFor({ ...webAcl, FutureConfig: { On: true } } as WebACL, 'REGIONAL', 'lock-1', []);
    expect((request as unknown as Record<string, unknown>).FutureConfig).toEqual({ On: true });
  });
});
