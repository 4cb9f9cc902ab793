// Each OWASP API Top 10 (2023) risk, judged on three synthesized stacks: SecureApi's defaults, the same
// API with props that opt out of controls, and the defaults undone by escape hatches on the template.
// The report must follow the template: status and evidence change, and the evidence names the resource.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { DocsAccess } from '../../lib';
import { SecurityReport } from '../../lib/report';
import { risk, synthesizeReport } from './report-fixture';

let defaults: SecurityReport;
let optedOut: SecurityReport;
let overridden: SecurityReport;
let ids: { restApi: string; stage: string };

beforeAll(() => {
  defaults = synthesizeReport().report;
  optedOut = synthesizeReport({
    secured: false,
    xmlBody: true,
    props: {
      waf: { enabled: false },
      stage: { dataTrace: true, clientCertificate: false },
      docs: { path: '/docs', access: DocsAccess.unauthenticated() },
    },
  }).report;
  overridden = synthesizeReport({
    after: (api) => {
      api.node.findChild('Waf').node.tryRemoveChild('Association');
      const stage = api.stage.node.defaultChild as apigw.CfnStage;
      stage.addPropertyOverride('MethodSettings.0.DataTraceEnabled', true);
      stage.addPropertyDeletionOverride('ClientCertificateId');
      const restApi = api.api.node.defaultChild as apigw.CfnRestApi;
      restApi.addPropertyOverride('Body.paths./items/{itemId}.get.security', []);
      restApi.addPropertyOverride('Body.paths./items.post.x-amazon-apigateway-request-validator', 'params-only');
      restApi.addPropertyOverride('FailOnWarnings', false);
    },
  }).report;
  ids = { restApi: overridden.api.restApi!, stage: overridden.api.stage! };
}, 240_000);

/** The evidence of a risk that reads a setting (by its setting path). */
function evidence(report: SecurityReport, id: string, setting: string) {
  const found = risk(report, id).evidence.filter((e) => e.setting === setting);
  if (found.length === 0)
    throw new Error(`${id} has no evidence on ${setting}: ${JSON.stringify(risk(report, id).evidence.map((e) => e.setting))}`);
  return found;
}

describe('API1:2023 Broken Object Level Authorization', () => {
  it('leaves object checks to the backend when every operation taking an id has an authenticated caller', () => {
    expect(risk(defaults, 'API1:2023').status).toBe('user responsibility');
    expect(evidence(defaults, 'API1:2023', 'Body.paths./items/{itemId}.get.security')[0]).toMatchObject({
      holds: true,
      value: '[{"SecureApiJwtAuthByToken":[]}]',
    });
  });
  it('is not covered without auth (prop): no caller identity reaches the backend', () => {
    expect(risk(optedOut, 'API1:2023').status).toBe('not covered');
    expect(evidence(optedOut, 'API1:2023', 'Body.paths./items/{itemId}.get.security')[0]).toMatchObject({ holds: false, value: '[]' });
  });
  it('is partial when an override removes the authorizer from one such operation, naming the REST API', () => {
    expect(risk(overridden, 'API1:2023').status).toBe('partial');
    expect(evidence(overridden, 'API1:2023', 'Body.paths./items/{itemId}.get.security')[0]).toEqual({
      resource: ids.restApi,
      setting: 'Body.paths./items/{itemId}.get.security',
      value: '[]',
      holds: false,
    });
    expect(evidence(overridden, 'API1:2023', 'Body.paths./items/{itemId}.delete.security')[0].holds).toBe(true);
  });
});

describe('API2:2023 Broken Authentication', () => {
  it('is covered by the verified JWT authorizer and automatic blocking', () => {
    expect(risk(defaults, 'API2:2023').status).toBe('covered');
    expect(evidence(defaults, 'API2:2023', 'Environment.Variables.SECUREAPI_AUTHORIZER_CONFIG.algorithms')[0]).toMatchObject({
      value: '["RS256","ES256"]',
      holds: true,
    });
    expect(evidence(defaults, 'API2:2023', 'Rules[AutoBlockedIps]')[0].holds).toBe(true);
  });
  it('names the mechanism of each authenticated operation', () => {
    expect(risk(defaults, 'API2:2023').controls).toContainEqual(
      expect.stringMatching(/^Caller authentication per operation: JWT authorizer \(.*getItem/),
    );
    expect(evidence(defaults, 'API2:2023', 'Body.paths./items/{itemId}.get.security')[0]).toMatchObject({ value: '"jwt"', holds: true });
  });
  it('is not covered without auth (prop)', () => {
    expect(risk(optedOut, 'API2:2023').status).toBe('not covered');
    expect(risk(optedOut, 'API2:2023').controls).toEqual([]);
  });
  it('is partial when the web ACL association is removed: automatic blocking no longer applies to the stage', () => {
    expect(risk(overridden, 'API2:2023').status).toBe('partial');
    expect(evidence(overridden, 'API2:2023', 'Rules[AutoBlockedIps]')[0]).toEqual({
      resource: ids.stage,
      setting: 'Rules[AutoBlockedIps]',
      value: '(absent)',
      holds: false,
    });
  });
});

describe('API3:2023 Broken Object Property Level Authorization', () => {
  it('validates every JSON body against its model; response filtering stays the user’s', () => {
    expect(risk(defaults, 'API3:2023').status).toBe('user responsibility');
    expect(evidence(defaults, 'API3:2023', 'Body.paths./items.post.x-amazon-apigateway-request-validator')[0]).toMatchObject({
      value: '{"validateRequestBody":true}',
      holds: true,
    });
  });
  it('is not covered when the only body is XML, which API Gateway cannot validate (document choice)', () => {
    expect(risk(optedOut, 'API3:2023').status).toBe('not covered');
    expect(optedOut.attackSurface.validationGaps.map((g) => g.operationId)).toContain('createItem');
  });
  it('is not covered when an override switches the body validator off, naming the REST API', () => {
    expect(risk(overridden, 'API3:2023').status).toBe('not covered');
    expect(evidence(overridden, 'API3:2023', 'Body.paths./items.post.x-amazon-apigateway-request-validator')[0]).toEqual({
      resource: ids.restApi,
      setting: 'Body.paths./items.post.x-amazon-apigateway-request-validator',
      value: '{"validateRequestBody":false}',
      holds: false,
    });
  });
});

describe('API4:2023 Unrestricted Resource Consumption', () => {
  it('is covered by stage throttling, WAF rate rules and the WAF body size limit', () => {
    expect(risk(defaults, 'API4:2023').status).toBe('covered');
    expect(evidence(defaults, 'API4:2023', 'Rules[RateBasedStatement]')[0]).toMatchObject({ value: '["RateLimitPerIp"]', holds: true });
  });
  it('is partial with waf.enabled: false (prop): throttling alone', () => {
    expect(risk(optedOut, 'API4:2023').status).toBe('partial');
    expect(evidence(optedOut, 'API4:2023', 'Rules[RateBasedStatement]')[0].holds).toBe(false);
  });
  it('is partial when the web ACL association is removed, naming the stage left without it', () => {
    expect(risk(overridden, 'API4:2023').status).toBe('partial');
    expect(evidence(overridden, 'API4:2023', 'AWS::WAFv2::WebACLAssociation → stage')[0]).toEqual({
      resource: ids.stage,
      setting: 'AWS::WAFv2::WebACLAssociation → stage',
      value: '(absent)',
      holds: false,
    });
  });
});

describe('API5:2023 Broken Function Level Authorization', () => {
  it('is covered when each authenticated operation requires the scopes its document names', () => {
    expect(risk(defaults, 'API5:2023').status).toBe('covered');
    expect(evidence(defaults, 'API5:2023', 'routes.json["DELETE /items/{itemId}"]')[0]).toMatchObject({
      value: '[["items:admin"]]',
      holds: true,
    });
  });
  it('is not covered without auth (prop)', () => {
    expect(risk(optedOut, 'API5:2023').status).toBe('not covered');
  });
  it('is partial when an override opens one operation, naming it', () => {
    expect(risk(overridden, 'API5:2023').status).toBe('partial');
    expect(evidence(overridden, 'API5:2023', 'Body.paths./items/{itemId}.get.security')[0]).toMatchObject({
      resource: ids.restApi,
      value: '[]',
      holds: false,
    });
    expect(overridden.attackSurface.publicOperations.map((o) => o.operationId)).toEqual(['getHealth', 'getItem']);
  });
});

describe('API6:2023 Unrestricted Access to Sensitive Business Flows', () => {
  it('offers rate limits per client; which flows are sensitive is the user’s call', () => {
    expect(risk(defaults, 'API6:2023').status).toBe('user responsibility');
    expect(risk(defaults, 'API6:2023').controls).toEqual(['WAF rate limits per client: RateLimitPerIp']);
  });
  it('is not covered with waf.enabled: false and no usage plans (prop)', () => {
    expect(risk(optedOut, 'API6:2023').status).toBe('not covered');
  });
  it('is not covered when the web ACL association is removed', () => {
    expect(risk(overridden, 'API6:2023').status).toBe('not covered');
    expect(evidence(overridden, 'API6:2023', 'Rules[RateLimitPerIp|RateLimitPerClient]')[0]).toMatchObject({
      resource: ids.stage,
      holds: false,
    });
  });
});

describe('API7:2023 Server Side Request Forgery', () => {
  it('has fixed integration hosts and the CommonRuleSet metadata-SSRF rules blocking', () => {
    expect(risk(defaults, 'API7:2023').status).toBe('user responsibility');
    expect(evidence(defaults, 'API7:2023', 'Rules[AWSManagedRulesCommonRuleSet] EC2MetaDataSSRF_*')[0]).toMatchObject({
      value: '"BLOCK"',
      holds: true,
    });
  });
  it('is not covered with waf.enabled: false (prop)', () => {
    expect(risk(optedOut, 'API7:2023').status).toBe('not covered');
  });
  it('is not covered when the web ACL association is removed', () => {
    expect(risk(overridden, 'API7:2023').status).toBe('not covered');
  });
});

describe('API8:2023 Security Misconfiguration', () => {
  it('is covered: no payload logging, execution and access logs, strongest TLS policy, hardened responses', () => {
    expect(risk(defaults, 'API8:2023').status).toBe('covered');
    expect(risk(defaults, 'API8:2023').evidence.every((e) => e.holds)).toBe(true);
  });
  it('is partial with stage.dataTrace: true (prop)', () => {
    expect(risk(optedOut, 'API8:2023').status).toBe('partial');
    expect(evidence(optedOut, 'API8:2023', 'MethodSettings[*].DataTraceEnabled')[0].holds).toBe(false);
  });
  it('is partial when DataTraceEnabled is set by override, naming the stage', () => {
    expect(risk(overridden, 'API8:2023').status).toBe('partial');
    expect(evidence(overridden, 'API8:2023', 'MethodSettings[*].DataTraceEnabled')[0]).toEqual({
      resource: ids.stage,
      setting: 'MethodSettings[*].DataTraceEnabled',
      value: '["/* *: true"]',
      holds: false,
    });
  });
});

describe('API9:2023 Improper Inventory Management', () => {
  it('is covered: every route from the document, the import fails on warnings, docs behind auth', () => {
    expect(risk(defaults, 'API9:2023').status).toBe('covered');
  });
  it('is partial with docs.access: DocsAccess.unauthenticated() (prop)', () => {
    expect(risk(optedOut, 'API9:2023').status).toBe('partial');
    expect(evidence(optedOut, 'API9:2023', 'Body.paths./docs.get.security')[0]).toMatchObject({ value: '[]', holds: false });
  });
  it('is partial when FailOnWarnings is overridden to false, naming the REST API', () => {
    expect(risk(overridden, 'API9:2023').status).toBe('partial');
    expect(evidence(overridden, 'API9:2023', 'FailOnWarnings')[0]).toEqual({
      resource: ids.restApi,
      setting: 'FailOnWarnings',
      value: 'false',
      holds: false,
    });
  });
});

describe('API10:2023 Unsafe Consumption of APIs', () => {
  it('presents a client certificate to the HTTPS backend', () => {
    expect(risk(defaults, 'API10:2023').status).toBe('user responsibility');
    expect(evidence(defaults, 'API10:2023', 'ClientCertificateId')[0].holds).toBe(true);
  });
  it('is partial with stage.clientCertificate: false (prop)', () => {
    expect(risk(optedOut, 'API10:2023').status).toBe('partial');
  });
  it('is partial when the client certificate is deleted by override, naming the stage', () => {
    expect(risk(overridden, 'API10:2023').status).toBe('partial');
    expect(evidence(overridden, 'API10:2023', 'ClientCertificateId')[0]).toEqual({
      resource: ids.stage,
      setting: 'ClientCertificateId',
      value: '(absent)',
      holds: false,
    });
  });
});

describe('weakened defaults', () => {
  it('are none on the defaults', () => {
    expect(defaults.attackSurface.weakenedDefaults).toEqual([]);
  });
  it('name each prop that opted out', () => {
    const props = optedOut.attackSurface.weakenedDefaults.map((w) => w.prop);
    expect(props).toEqual(expect.arrayContaining(['auth', 'waf.enabled', 'stage.dataTrace', 'stage.clientCertificate', 'docs.access']));
    expect(props).not.toContain('(template override)');
    expect(optedOut.attackSurface.weakenedDefaults.find((w) => w.prop === 'waf.enabled')?.resource).toBe(optedOut.api.stage);
  });
  it('name each escape hatch as a template override on its resource', () => {
    const overrides = overridden.attackSurface.weakenedDefaults
      .filter((w) => w.prop === '(template override)')
      .map((w) => [w.resource, w.detail.split(' (set outside')[0]]);
    expect(overrides).toEqual([
      [ids.restApi, 'FailOnWarnings is false: API Gateway import warnings no longer fail the deployment'],
      [ids.stage, 'no web ACL is associated with the stage'],
      [ids.stage, 'DataTraceEnabled is true on /* *: payloads, tokens included, go to the execution log'],
      [ids.stage, 'no client certificate is presented to backends'],
    ]);
  });
});
