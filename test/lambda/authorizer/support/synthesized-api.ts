import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AUTHORIZER_ENV } from '../../../../contracts/authorizer-config';
import { Auth, JwtAuthProps, OpenApi, OperationIntegration, SecureApi } from '../../../../lib';
import { JwtAuthorizer } from '../../../../lib/auth/jwt-authorizer';
import { DoubleRoute, Invoke } from './api-gateway-double';

/** What the double and the bundled handler need from a synthesized SecureApi. */
export interface SynthesizedApi {
  /** Every operation of the imported body, with the authorizer (scheme name and identity source) that protects it. */
  readonly routes: DoubleRoute[];
  /** The authorizer function's environment: its configuration as synthesized. */
  readonly config: string;
  /** The function's asset folder: the bundled `index.js` and `routes.json`. */
  readonly assetDirectory: string;
  /** The synth info lines. */
  readonly infos: string[];
}

/** Synthesizes a SecureApi for `document` and reads, from the template, what API Gateway would import. */
export function synthesizeApi(document: object | string, auth: JwtAuthProps): SynthesizedApi {
  const stack = new Stack(new App(), 'Api', { env: { account: '111111111111', region: 'eu-west-1' } });
  const api = new SecureApi(stack, 'Api', {
    openApi: typeof document === 'string' ? OpenApi.fromFile(document) : OpenApi.fromObject(document),
    defaultIntegration: OperationIntegration.mock(),
    auth: Auth.jwt(auth),
  });
  const template = Template.fromStack(stack).toJSON();
  const body = Object.values(template.Resources as { [id: string]: any }).find((r) => r.Type === 'AWS::ApiGateway::RestApi').Properties
    .Body;
  const routes: DoubleRoute[] = [];
  for (const [path, item] of Object.entries(body.paths as { [path: string]: any })) {
    for (const [method, operation] of Object.entries(item as { [method: string]: any })) {
      if (typeof operation !== 'object' || operation === null || operation.responses === undefined) continue;
      const scheme = (operation.security ?? [])
        .flatMap((r: object) => Object.keys(r))
        .find((name: string) => body.components.securitySchemes[name]['x-amazon-apigateway-authorizer'] !== undefined);
      const authorizer =
        scheme === undefined
          ? undefined
          : { name: scheme, identitySource: body.components.securitySchemes[scheme]['x-amazon-apigateway-authorizer'].identitySource };
      routes.push({ key: `${method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase()} ${path}`, authorizer });
    }
  }
  const authorizer = api.auth!.authorizer as JwtAuthorizer;
  const functionId = stack.getLogicalId(authorizer.function.node.defaultChild as CfnFunction);
  const config = template.Resources[functionId].Properties.Environment.Variables[AUTHORIZER_ENV.config];
  const infos = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data)));
  return { routes, config, assetDirectory: authorizer.assetDirectory, infos };
}

/** The bundled handler of a synthesized API in a fresh Node process (as Lambda runs it), trusting the IdP through NODE_EXTRA_CA_CERTS. */
export class BundledAuthorizer {
  static async start(api: SynthesizedApi, caFile: string): Promise<BundledAuthorizer> {
    const child = fork(join(__dirname, 'run-bundle.js'), [join(api.assetDirectory, 'index.js')], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caFile, [AUTHORIZER_ENV.config]: api.config },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await new Promise((resolve) => child.once('message', resolve));
    return new BundledAuthorizer(child);
  }

  private nextId = 0;
  private constructor(private readonly child: ChildProcess) {}

  readonly invoke: Invoke = (event) => {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const onMessage = (m: { id: number; result?: never; error?: string }) => {
        if (m.id !== id) return;
        this.child.off('message', onMessage);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.result!);
      };
      this.child.on('message', onMessage);
      this.child.send({ id, event });
    });
  };

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}
