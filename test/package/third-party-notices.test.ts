// THIRD-PARTY-NOTICES lists the third-party code in assets/ with its licences, made by
// scripts/third-party-notices.mjs from esbuild's metafiles and the packages' licence files.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const notices = () => fs.readFileSync(path.join(root, 'THIRD-PARTY-NOTICES'), 'utf8');

describe('THIRD-PARTY-NOTICES', () => {
  it('is current: the script regenerates it byte for byte from the bundles as built now', () => {
    const result = spawnSync(process.execPath, ['scripts/third-party-notices.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);

  it('names the packages bundled into each handler and Swagger UI, with their licence texts', () => {
    const text = notices();
    const jwtVerify = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'aws-jwt-verify', 'package.json'), 'utf8')).version;
    expect(text).toContain(`assets/lambda/authorizer/index.js:\n  aws-jwt-verify@${jwtVerify} (Apache-2.0)\n`);
    expect(text).toMatch(/assets\/lambda\/ip-blocker\/index\.js:\n( {2}.+\n)* {2}@aws-sdk\/client-wafv2@[\d.]+ \(Apache-2\.0\)\n/);
    expect(text).toMatch(/assets\/swagger-ui\/ \(copied, not bundled\):\n {2}swagger-ui-dist@[\d.]+ \(Apache-2\.0\)\n/);
    expect(text).toContain('swagger-ui-bundle.js.LICENSE.txt:');
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).not.toContain(root);
  });

  it('ships a notices file with each handler asset that bundles npm packages', () => {
    const asset = (name: string, file: string) => path.join(root, 'assets', 'lambda', name, file);
    expect(fs.readFileSync(asset('authorizer', 'THIRD-PARTY-NOTICES'), 'utf8')).toMatch(/^index\.js:\n {2}aws-jwt-verify@/m);
    expect(fs.readFileSync(asset('ip-blocker', 'THIRD-PARTY-NOTICES'), 'utf8')).toMatch(/^ {2}@aws-sdk\/client-dynamodb@/m);
    // The docs handler bundles no npm package: no notices file.
    expect(fs.existsSync(asset('docs', 'THIRD-PARTY-NOTICES'))).toBe(false);
  });
});
