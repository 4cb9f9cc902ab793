import { X509Certificate } from 'node:crypto';
import { SecureApiConfigError } from '../model/config-error';

/**
 * Checks a mutual TLS truststore (PEM) at synth time, against what API Gateway accepts, so a
 * truststore that would fail at deploy, or that carries something it must not, is a synth error.
 * Uses Node's own X.509 parser; nothing is hand-parsed beyond splitting PEM blocks.
 */

/** API Gateway validates client certificate chains of at most this many certificates. */
export const MAX_CHAIN_DEPTH = 4;
/** The truststore travels inline in the template; larger ones belong in a bucket of the user's. */
export const MAX_INLINE_TRUSTSTORE_BYTES = 200 * 1024;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const SUPPORTED_CURVES = ['prime256v1', 'secp384r1'];

export interface TruststoreReport {
  /** The certificates, in file order, normalized to PEM with LF line ends. */
  readonly pem: string;
  readonly certificateCount: number;
  /** The longest issuer chain found among the certificates. */
  readonly chainDepth: number;
  /** Findings that do not stop deployment (expired certificates, non-CA certificates). */
  readonly warnings: string[];
}

/**
 * Validates a truststore: only CERTIFICATE blocks, each parseable, with RSA (2048+) or ECDSA
 * (P-256/P-384) keys, chains no deeper than four. `now` is a parameter so tests are deterministic.
 */
export function validateTruststore(content: string, source: string, now: Date = new Date()): TruststoreReport {
  if (Buffer.byteLength(content, 'utf8') > MAX_INLINE_TRUSTSTORE_BYTES) {
    throw new SecureApiConfigError(
      '',
      'domain.mutualTls',
      `${source}: the truststore is over ${MAX_INLINE_TRUSTSTORE_BYTES / 1024} KB; put it in your own versioned bucket and use MutualTls.fromBucket`,
    );
  }
  const blocks = [...content.matchAll(PEM_BLOCK)];
  const foreign = blocks.filter((b) => b[1] !== 'CERTIFICATE').map((b) => b[1]);
  if (foreign.length > 0) {
    // A private key here would end up inline in the template: refuse it outright.
    throw new SecureApiConfigError(
      '',
      'domain.mutualTls',
      `${source}: the truststore contains ${[...new Set(foreign)].map((f) => `a ${f} block`).join(' and ')}; a truststore holds CA certificates only`,
    );
  }
  if (blocks.length === 0)
    throw new SecureApiConfigError('', 'domain.mutualTls', `${source}: no PEM certificate (-----BEGIN CERTIFICATE-----) found`);

  const warnings: string[] = [];
  const certificates = blocks.map((block, index) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block[0]);
    } catch (error) {
      throw new SecureApiConfigError(
        '',
        'domain.mutualTls',
        `${source}: certificate #${index + 1} is not a valid X.509 certificate (${(error as Error).message})`,
      );
    }
    const name = `certificate #${index + 1} (${certificate.subject.replace(/\n/g, ', ')})`;
    const key = certificate.publicKey;
    if (key.asymmetricKeyType === 'rsa') {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < 2048)
        throw new SecureApiConfigError(
          '',
          'domain.mutualTls',
          `${source}: ${name} has a ${bits}-bit RSA key; API Gateway requires RSA keys of at least 2048 bits`,
        );
    } else if (key.asymmetricKeyType === 'ec') {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
      if (!SUPPORTED_CURVES.includes(curve))
        throw new SecureApiConfigError(
          '',
          'domain.mutualTls',
          `${source}: ${name} uses the curve ${curve}; API Gateway accepts ECDSA keys on P-256 or P-384 only`,
        );
    } else {
      throw new SecureApiConfigError(
        '',
        'domain.mutualTls',
        `${source}: ${name} has a ${key.asymmetricKeyType} key; API Gateway accepts RSA or ECDSA keys only`,
      );
    }
    if (new Date(certificate.validTo).getTime() < now.getTime()) warnings.push(`${source}: ${name} expired on ${certificate.validTo}`);
    if (!certificate.ca)
      warnings.push(`${source}: ${name} is not a CA certificate; a truststore should hold the CAs that issue client certificates`);
    return certificate;
  });

  const depthOf = (certificate: X509Certificate, seen: Set<X509Certificate>): number => {
    if (seen.has(certificate)) return 0;
    const issuer = certificates.find(
      (other) => other !== certificate && certificate.checkIssued(other) && certificate.verify(other.publicKey),
    );
    if (issuer === undefined) return 1;
    return 1 + depthOf(issuer, new Set([...seen, certificate]));
  };
  const chainDepth = Math.max(...certificates.map((c) => depthOf(c, new Set())));
  if (chainDepth > MAX_CHAIN_DEPTH) {
    throw new SecureApiConfigError(
      '',
      'domain.mutualTls',
      `${source}: the truststore holds a certificate chain ${chainDepth} deep; API Gateway validates chains of at most ${MAX_CHAIN_DEPTH} certificates`,
    );
  }
  return {
    pem: blocks.map((b) => `${b[0].replace(/\r\n/g, '\n').trim()}\n`).join(''),
    certificateCount: certificates.length,
    chainDepth,
    warnings,
  };
}
