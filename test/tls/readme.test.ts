// The README's "HTTPS and custom domains" section states the defaults the code uses, not a copy that drifts.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLIENT_IP_HEADER, ORIGIN_VERIFY_HEADER } from '../../lib/tls/origin-verification';
import {
  CLOUDFRONT_ORIGIN_POLICY,
  MUTUAL_TLS_POLICY,
  STRONGEST_EDGE_POLICY,
  STRONGEST_REGIONAL_POLICY,
} from '../../lib/tls/security-policy';
import { DEFAULT_EDGE_VIEWER_POLICY } from '../../lib/tls/tls-plan';
import { MAX_CHAIN_DEPTH } from '../../lib/tls/truststore';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const start = readme.indexOf('## HTTPS and custom domains');
const section = readme.slice(start, readme.indexOf('\n## ', start + 5));

describe('README: HTTPS and custom domains', () => {
  it('exists', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(section.length).toBeGreaterThan(2000);
  });

  it('names the default policies the code chooses', () => {
    for (const policy of [
      STRONGEST_REGIONAL_POLICY,
      STRONGEST_EDGE_POLICY,
      CLOUDFRONT_ORIGIN_POLICY,
      MUTUAL_TLS_POLICY,
      DEFAULT_EDGE_VIEWER_POLICY,
    ]) {
      expect(section).toContain(`\`${policy}\``);
    }
  });

  it('names the headers the front and the web ACL agree on, and the truststore chain limit', () => {
    expect(section).toContain(`\`${ORIGIN_VERIFY_HEADER}\``);
    expect(section).toContain(`\`${CLIENT_IP_HEADER}\``);
    expect(section).toContain(`at most ${['zero', 'one', 'two', 'three', 'four'][MAX_CHAIN_DEPTH]} deep`);
  });

  it('shows the demo commands with the fixed context names', () => {
    expect(section).toContain('-c domainName=api.example.com -c hostedZoneId=Z0123456789ABCDEFGHIJ -c hostedZoneName=example.com');
    expect(section).toContain('`-c edge=true`');
  });
});
