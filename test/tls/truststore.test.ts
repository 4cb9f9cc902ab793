import { validateTruststore } from '../../lib/tls/truststore';
import { TestPki } from './support/certificates';

describe('validateTruststore', () => {
  const pki = new TestPki();
  beforeAll(() => {
    pki.root('root');
    pki.issue('intermediate1', 'root');
    pki.issue('intermediate2', 'intermediate1');
    pki.issue('intermediate3', 'intermediate2');
    pki.issue('intermediate4', 'intermediate3');
    pki.issue('client', 'root', false);
    pki.root('weak', { kind: 'rsa', size: '1024' });
    pki.root('oddcurve', { size: 'secp521r1' });
  });
  afterAll(() => pki.dispose());

  it('accepts a CA bundle and normalizes it to PEM with LF line ends', () => {
    const report = validateTruststore(pki.pem('root', 'intermediate1').replace(/\n/g, '\r\n'), 'truststore.pem');
    expect(report.certificateCount).toBe(2);
    expect(report.chainDepth).toBe(2);
    expect(report.pem).not.toContain('\r');
    expect(report.pem.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(report.warnings).toEqual([]);
  });

  it('accepts a chain four certificates deep and rejects one five deep', () => {
    expect(validateTruststore(pki.pem('root', 'intermediate1', 'intermediate2', 'intermediate3'), 'ok.pem').chainDepth).toBe(4);
    expect(() =>
      validateTruststore(pki.pem('root', 'intermediate1', 'intermediate2', 'intermediate3', 'intermediate4'), 'deep.pem'),
    ).toThrow('deep.pem: the truststore holds a certificate chain 5 deep; API Gateway validates chains of at most 4 certificates');
  });

  it('refuses a private key, which would otherwise end up in the template', () => {
    expect(() => validateTruststore(pki.pem('root') + pki.privateKey('root'), 'mixed.pem')).toThrow(
      'mixed.pem: the truststore contains a PRIVATE KEY block; a truststore holds CA certificates only',
    );
  });

  it('rejects files without certificates and certificates that do not parse', () => {
    expect(() => validateTruststore('hello', 'empty.pem')).toThrow('empty.pem: no PEM certificate (-----BEGIN CERTIFICATE-----) found');
    expect(() => validateTruststore('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'bad.pem')).toThrow(
      'bad.pem: certificate #1 is not a valid X.509 certificate',
    );
  });

  it('rejects keys API Gateway does not accept', () => {
    expect(() => validateTruststore(pki.pem('weak'), 'weak.pem')).toThrow(
      'weak.pem: certificate #1 (CN=weak) has a 1024-bit RSA key; API Gateway requires RSA keys of at least 2048 bits',
    );
    expect(() => validateTruststore(pki.pem('oddcurve'), 'curve.pem')).toThrow(
      'curve.pem: certificate #1 (CN=oddcurve) uses the curve secp521r1',
    );
  });

  it('warns about expired and non-CA certificates', () => {
    const report = validateTruststore(pki.pem('root', 'client'), 'store.pem', new Date('2099-01-01T00:00:00Z'));
    expect(report.warnings).toEqual([
      expect.stringMatching(/^store\.pem: certificate #1 \(CN=root\) expired on /),
      expect.stringMatching(/^store\.pem: certificate #2 \(CN=client\) expired on /),
      'store.pem: certificate #2 (CN=client) is not a CA certificate; a truststore should hold the CAs that issue client certificates',
    ]);
  });
});
