// Run by `npm test` (pretest): makes sure the two system tools the tests use are there, so that the
// README's `npm ci && npm test` passes as written on a fresh Debian machine as root.
//   - chromium: the docs browser test renders Swagger UI in headless Chromium (test/docs/swagger-ui.browser.test.ts)
//   - openssl: the authorizer tests make a throwaway certificate for their local OpenID provider
// On Debian as root, missing ones are installed with apt-get. Elsewhere the script says what to install
// and carries on, so that every other test still runs; the browser test then fails with its own message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.SECUREAPI_CHROMIUM ?? '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) missing.push('openssl');

if (missing.length > 0) {
  const debian = existsSync('/etc/debian_version');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (debian && root) {
    console.log(`pretest: installing ${missing.join(' and ')} with apt-get (needed by the test suite)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  } else {
    console.warn(
      `pretest: ${missing.join(' and ')} missing. The tests need ${missing.join(' and ')} ` +
        `(on Debian or Ubuntu: sudo apt-get install ${missing.join(' ')}; on macOS: brew install --cask chromium and brew install openssl; ` +
        'then point SECUREAPI_CHROMIUM at the Chromium executable if it is not /usr/bin/chromium). Running the tests anyway.',
    );
  }
}
