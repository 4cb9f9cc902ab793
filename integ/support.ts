// What the integ apps (integ/integ.*.ts) share: their own functions (probes, backends) hardened the way
// SecureApi's are, so that every integ stack as a whole passes the cdk-nag packs and the Control Tower rules
// (test/integ/*), the probes bundled at synth with esbuild, and the acknowledgments of integ-tests-alpha's
// assertion harness. Not an integ app itself: integ-runner picks up integ.*.ts files only.
import * as path from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { buildSync } from 'esbuild';
import { LeastPrivilegeRole } from '../lib';
import { createSecureKey } from '../lib/common';

const ROOT = path.join(__dirname, '..');

/**
 * The esbuild options of a probe bundle. Byte-identical on every machine and in every checkout (the asset hash is
 * the output's): minified, so no comment carries a source path; no source map; a fixed target. The AWS SDK v3
 * clients stay imports, the ones the Lambda Node.js runtime provides; everything else (the SigV4 signer) is bundled
 * from the pinned devDependencies.
 */
export function probeBundleOptions(folder: string) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [`integ/${folder}/index.mjs`],
    bundle: true,
    minify: true,
    platform: 'node' as const,
    target: 'node22',
    format: 'cjs' as const,
    sourcemap: false,
    legalComments: 'eof' as const,
    charset: 'utf8' as const,
    external: ['@aws-sdk/client-*'],
    logLevel: 'warning' as const,
    // No tsconfig.json of the checkout (its alwaysStrict would change the output).
    tsconfigRaw: {},
  };
}

/** A probe folder (integ/<folder>/index.mjs) bundled at synth by esbuild into `index.js`, hashed by its output. */
export function probeCode(folder: string): lambda.Code {
  return lambda.Code.fromAsset(path.join(__dirname, folder), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: esbuild is a devDependency, and local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({ ...probeBundleOptions(folder), outfile: path.join(outputDir, 'index.js') });
          return true;
        },
      },
    },
  });
}

/**
 * The stack's key for its test functions' log groups: rotated yearly, and only AWS services may create grants on it
 * (Control Tower CT.KMS.PR.3), as on SecureApi's own keys. One per stack.
 */
function logKey(scope: Construct): kms.Key {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('IntegLogKey');
  if (existing !== undefined) return existing as kms.Key;
  const key = createSecureKey(stack, 'IntegLogKey', { removalPolicy: RemovalPolicy.DESTROY });
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
  return key;
}

/** Props of {@link testFunction}. */
export interface TestFunctionProps {
  /** The code: `probeCode(folder)`, or inline code for a stand-in backend. */
  readonly code: lambda.Code;
  /** Timeout. */
  readonly timeout: Duration;
  /** Environment variables (never secrets). @default - none */
  readonly environment?: { [key: string]: string };
  /** Who invokes it synchronously (and so receives its errors), for the dead-letter queue acknowledgment. */
  readonly invokedBy: string;
  /** Why it is not in a VPC, for the acknowledgment: what it reaches, or that it reaches nothing. */
  readonly noVpcReason: string;
  /**
   * Reserved concurrency. CloudFormation creates an app's assertions in parallel, so a probe may be invoked by all of
   * them at once: the default is above the largest number of invocations of one probe (8, integ.secure-api.ts).
   * @default 10
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A test function hardened like SecureApi's own (lib/common/handler-function.ts): Node.js 24 on ARM, X-Ray tracing,
 * JSON logs into its own KMS-encrypted log group with retention, reserved concurrency, and a role whose permissions
 * land in one customer-managed policy. The VPC and dead-letter queue findings are acknowledged with the reasons given.
 */
export function testFunction(scope: Construct, id: string, props: TestFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    encryptionKey: logKey(scope),
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new LeastPrivilegeRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: props.code,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    tracing: lambda.Tracing.ACTIVE,
    timeout: props.timeout,
    memorySize: 256,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 10,
    environment: props.environment,
  });
  acknowledge(
    role,
    ['AwsSolutions-IAM5[Resource::*]'],
    'Only X-Ray tracing uses a wildcard resource here: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
  );
  acknowledge(
    fn,
    [
      'NIST.800.53.R5-LambdaInsideVPC',
      'HIPAA.Security-LambdaInsideVPC',
      'PCI.DSS.321-LambdaInsideVPC',
      'cdk-validator-cfnguard::lambda_inside_vpc_check',
    ],
    props.noVpcReason,
  );
  acknowledge(
    fn,
    ['NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'PCI.DSS.321-LambdaDLQ', 'Serverless-LambdaDLQ'],
    `${props.invokedBy} invokes this function synchronously and receives its errors; a dead-letter queue applies to asynchronous invocations only.`,
  );
  return fn;
}

/** The reason a probe is outside any VPC. */
export const PROBE_NO_VPC_REASON =
  'The probe calls only public endpoints (the API under test, the OAuth token endpoint, AWS APIs) over TLS, as any client of the API does, so a VPC would add a NAT gateway without isolating anything.';

/**
 * integ-tests-alpha's assertion harness (the provider functions and the waiter state machine in the assertion
 * stack) is the test runner, not what a user deploys: its findings are acknowledged on `scope` (the IntegTest, or
 * the assertion stack when one is given to it).
 */
export function acknowledgeAssertionHarness(scope: IConstruct): void {
  acknowledge(
    scope,
    ['cdk-validator-cfnguard::lambda_inside_vpc_check'],
    "integ-tests-alpha's assertion providers call public AWS APIs and the API under test for one test run, so a VPC would isolate nothing.",
  );
  acknowledge(
    scope,
    [
      'cdk-validator-cfnguard::step_functions_state_machine_logging_enabled_check',
      'cdk-validator-cfnguard::step_functions_state_machine_tracing_enabled_check',
    ],
    "integ-tests-alpha's waiter state machine retries one assertion during a test run; its outcome is the assertion's result, which integ-runner reports.",
  );
}

/** Acknowledges findings on a construct and its children with one reason an auditor can check. */
export function acknowledge(scope: IConstruct, ids: string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}
