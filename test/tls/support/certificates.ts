import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway directory of certificates made with the openssl CLI, for truststore tests. */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'secureapi-pki-'));

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }

  /** A key: `ec` (P-256 unless `curve` is given) or `rsa` with `bits`. */
  key(name: string, kind: 'ec' | 'rsa' = 'ec', size: string = 'prime256v1'): string {
    const file = `${name}.key`;
    if (kind === 'ec') this.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${size}`, '-out', file]);
    else this.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${size}`, '-out', file]);
    return file;
  }

  /** A self-signed CA certificate. */
  root(name: string, options: { kind?: 'ec' | 'rsa'; size?: string; days?: number } = {}): string {
    const key = this.key(name, options.kind, options.size);
    this.openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      `/CN=${name}`,
      '-days',
      String(options.days ?? 30),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-out',
      `${name}.pem`,
    ]);
    return name;
  }

  /** A certificate for `name` issued by `issuer`; a CA unless `ca` is false. */
  issue(name: string, issuer: string, ca = true): string {
    const key = this.key(name);
    this.openssl(['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
    writeFileSync(join(this.dir, `${name}.ext`), ca ? 'basicConstraints=critical,CA:TRUE\n' : 'basicConstraints=critical,CA:FALSE\n');
    this.openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.pem`,
      '-CAkey',
      `${issuer}.key`,
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
    return name;
  }

  pem(...names: string[]): string {
    return names.map((n) => readFileSync(join(this.dir, `${n}.pem`), 'utf8')).join('');
  }

  privateKey(name: string): string {
    return readFileSync(join(this.dir, `${name}.key`), 'utf8');
  }

  /** Writes `content` to a file in the directory and returns its path. */
  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
