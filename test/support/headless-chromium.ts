import * as fs from 'node:fs';
import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

// The browser tests let Debian's headless Chromium decide what a page may do, as it would for a real
// deployment: every server they talk to listens on 127.0.0.1 only.

/** A page in a fresh headless Chromium profile; closing `context` ends the browser. */
export interface ChromiumPage {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Launches headless Chromium (`SECUREAPI_CHROMIUM`, else Debian's /usr/bin/chromium) in a fresh profile and opens one page. */
export async function launchHeadlessChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<ChromiumPage> {
  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'secureapi-chromium-')), {
    executablePath: process.env.SECUREAPI_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  return { context, page: await context.newPage() };
}

/** Starts `server` on a free port of 127.0.0.1 and resolves to its origin. */
export function listenOnLoopback(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/**
 * What a script on the page learns from `fetch`: the status, the JSON body and the response headers it
 * asked for (null where the browser does not let it read one), or the error the browser gives it.
 */
export type CrossOriginOutcome = { status: number; body: unknown; headers: { [name: string]: string | null } } | { error: string };

/**
 * A page on one origin calling an API on another: three page origins, each serving an empty page, an
 * API server answering with `api`, and a Chromium page to fetch from. `allowed` and `third` are the
 * origins a test allows; `other` is one it does not.
 */
export class CrossOriginBrowser {
  /** Starts the servers and the browser; `readHeaders` are the response headers each fetch reads. */
  public static async start(api: RequestListener, readHeaders: string[]): Promise<CrossOriginBrowser> {
    const pageServer = () =>
      createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>app</title>'));
    const servers = [pageServer(), pageServer(), pageServer(), createServer(api)];
    const [allowed, other, third, apiOrigin] = await Promise.all(servers.map(listenOnLoopback));
    const { context, page } = await launchHeadlessChromium();
    return new CrossOriginBrowser(servers, context, page, { allowed, other, third, api: apiOrigin }, readHeaders);
  }

  public readonly allowed: string;
  public readonly other: string;
  public readonly third: string;
  public readonly api: string;

  private constructor(
    private readonly servers: Server[],
    private readonly context: BrowserContext,
    private readonly page: Page,
    origins: { allowed: string; other: string; third: string; api: string },
    private readonly readHeaders: string[],
  ) {
    this.allowed = origins.allowed;
    this.other = origins.other;
    this.third = origins.third;
    this.api = origins.api;
  }

  /** Opens a page on the origin `from` and fetches `apiPath` of the API from it, as a browser app would. */
  public async fetchFrom(
    from: 'allowed' | 'other' | 'third',
    apiPath: string,
    credentials: 'include' | 'omit',
  ): Promise<CrossOriginOutcome> {
    await this.page.goto(`${this[from]}/`);
    const url = `${this.api}${apiPath}`;
    return this.page.evaluate(
      async ({ url, credentials, readHeaders }) => {
        try {
          const response = await fetch(url, { credentials });
          const headers: { [name: string]: string | null } = {};
          for (const name of readHeaders) headers[name] = response.headers.get(name);
          return { status: response.status, body: await response.json(), headers };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url, credentials, readHeaders: this.readHeaders },
    );
  }

  /** Ends the browser and the servers. */
  public async close(): Promise<void> {
    await this.context.close();
    for (const server of this.servers) server.close();
  }
}
