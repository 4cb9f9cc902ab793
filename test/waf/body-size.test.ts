// Issue 13 #4: one operation's larger body limit must not lift the limit of every other operation.
// Rule-level abuse tests: the synthesized web ACL's rules, evaluated against the attacker's request.
import { Size } from 'aws-cdk-lib';
import { BodyInspectionLimit } from '../../lib';
import { rulesByName, synthWaf, wafTestDocument } from './support';
import { firstBlockingRule } from './web-acl-evaluator';

const INJECTION = "' OR 1=1 --";
const sqlInjection = (inspected: string) => inspected.includes(INJECTION);
/** A harmless body of about `bytes`. */
const plain = (bytes: number) => JSON.stringify({ note: 'x'.repeat(bytes) });
/** A body padded past `bytes`, with the injection after the padding. */
const padded = (bytes: number) => JSON.stringify({ note: 'x'.repeat(bytes), q: INJECTION });

function documentWithUpload(maxBodySize: number): Record<string, unknown> {
  const document = wafTestDocument() as any;
  document.paths['/files/{path+}'].put = {
    operationId: 'uploadFile',
    'x-secureapi-max-body-size': maxBodySize,
    parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
    responses: { '200': { description: 'ok' } },
  };
  return document;
}

describe('an operation that declares a body larger than WAF inspects', () => {
  const { template, wafWarnings } = synthWaf({}, documentWithUpload(1048576));
  const rules = Object.values(rulesByName(template));
  const verdict = (method: string, uriPath: string, body: string) =>
    firstBlockingRule(rules, { method, uriPath, body }, 16 * 1024, sqlInjection);

  it('still blocks a padded body with the injection after 16 KB on another operation', () => {
    expect(verdict('PUT', '/v1/orders/42', padded(20 * 1024))).toBe('BodySizeLimit');
    expect(verdict('POST', '/v1/auth/token', padded(17 * 1024))).toBe('BodySizeLimit');
    // The same method on another path, another method on the same path, and a percent-encoded path are other operations too.
    expect(verdict('PUT', '/v1/orders/files/a', padded(20 * 1024))).toBe('BodySizeLimit');
    expect(verdict('GET', '/v1/files/a', padded(20 * 1024))).toBe('BodySizeLimit');
    expect(verdict('PUT', '/v1/order%73/42', padded(20 * 1024))).toBe('BodySizeLimit');
  });

  it('lets the declaring operation take its larger body, and says that WAF does not inspect beyond 16 KB for it', () => {
    expect(verdict('PUT', '/v1/files/reports/q3.json', padded(100 * 1024))).toBeUndefined();
    expect(verdict('PUT', '/v1/files/a', JSON.stringify({ q: INJECTION }))).toBe('AWS-AWSManagedRulesCommonRuleSet');
    expect(wafWarnings).toContain(
      "SecureApi 'WafTest/Api': waf: operation 'uploadFile' (PUT /files/{path+}) accepts bodies up to 1048576 bytes (x-secureapi-max-body-size), more than the 16384-byte body inspection limit (waf.bodyInspectionLimit): for this operation WAF does not inspect body bytes beyond the first 16384 and cannot enforce the size; every other operation keeps the 16384-byte limit [ack: cdk-secure-api:waf]",
    );
  });

  it('keeps answering small requests everywhere', () => {
    expect(verdict('PUT', '/v1/orders/42', JSON.stringify({ ok: true }))).toBeUndefined();
  });
});

describe('an operation that declares a larger body WAF can still measure', () => {
  const { template, wafWarnings } = synthWaf({ waf: { maxBodySize: Size.kibibytes(4) } }, documentWithUpload(12 * 1024));
  const rules = Object.values(rulesByName(template));
  const verdict = (method: string, uriPath: string, body: string) =>
    firstBlockingRule(rules, { method, uriPath, body }, 16 * 1024, sqlInjection);

  it("enforces the operation's own limit on it and the API's limit everywhere else", () => {
    expect(verdict('PUT', '/v1/files/a', plain(10 * 1024))).toBeUndefined();
    expect(verdict('PUT', '/v1/files/a', plain(13 * 1024))).toBe('BodySizeLimit-uploadFile');
    expect(verdict('PUT', '/v1/orders/42', plain(5 * 1024))).toBe('BodySizeLimit');
    expect(wafWarnings.filter((w) => w.includes('inspection limit'))).toEqual([]);
  });
});

describe('the body size rules with an inspection limit of 64 KB', () => {
  it('scope an operation limit above 16 KB but within 64 KB to that operation', () => {
    const { template } = synthWaf(
      { waf: { bodyInspectionLimit: BodyInspectionLimit.KB_64, maxBodySize: Size.kibibytes(16) } },
      documentWithUpload(48 * 1024),
    );
    const rules = Object.values(rulesByName(template));
    const verdict = (method: string, uriPath: string, body: string) =>
      firstBlockingRule(rules, { method, uriPath, body }, 64 * 1024, sqlInjection);
    expect(verdict('PUT', '/v1/files/a', padded(40 * 1024))).toBe('AWS-AWSManagedRulesCommonRuleSet');
    expect(verdict('PUT', '/v1/files/a', plain(40 * 1024))).toBeUndefined();
    expect(verdict('PUT', '/v1/files/a', plain(50 * 1024))).toBe('BodySizeLimit-uploadFile');
    expect(verdict('PUT', '/v1/orders/42', plain(20 * 1024))).toBe('BodySizeLimit');
    expect(verdict('PUT', '/v1/orders/42', padded(65 * 1024))).toBe('BodySizeLimit');
  });
});
