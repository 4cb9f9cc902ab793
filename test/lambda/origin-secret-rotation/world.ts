/**
 * In-memory models of the parts of Secrets Manager, AWS WAF and CloudFront the origin-secret rotation uses,
 * plugged into the SDK clients with aws-sdk-client-mock, with a fake clock and the two propagation delays that
 * make the rotation hard: a web ACL change reaches WAF's enforcement points over `wafPropagationMs`, and a
 * distribution change reaches every edge location over `deployMs` (the distribution is InProgress meanwhile).
 *
 * After every call and every clock advance, the world checks the rotation's invariant: every value an edge
 * location may send is one every WAF enforcement point accepts. Tests assert on `violations`.
 */
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetWebACLCommand, type Rule, UpdateWebACLCommand, type WebACL, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogs as captureSecretFreeLogs } from '../../support/captured-logs';
import { ORIGIN_VERIFY_HEADER, ORIGIN_VERIFY_RULE_NAME } from '../../../contracts/origin-secret-rotation';
import { dispatch, HandlerDependencies } from '../../../lambda/origin-secret-rotation/index';
import { RotationStep } from '../../../lambda/origin-secret-rotation/rotation-steps';

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ApiOriginVerifySecret-AbCdEf';
export const DISTRIBUTION_ID = 'E2EXAMPLE0ABCD';
export const WEB_ACL = { name: 'ApiWafWebAcl-Xyz', id: '0123abcd-0123-4567-89ab-0123456789ab', scope: 'REGIONAL' as const };
export const WEB_ACL_ARN = `arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/${WEB_ACL.name}/${WEB_ACL.id}`;
export const STEPS: RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
export const MINUTE = 60_000;
const START = Date.parse('2026-03-01T00:00:00Z');

type Fault = { readonly command: string; readonly kind: 'throttle' | 'lost' | 'invalid'; nth: number };

/** What each service calls its refusal of a request it cannot validate. */
const INVALID_PARAMETER: Record<string, string> = {
  UpdateWebACL: 'WAFInvalidParameterException',
  UpdateDistribution: 'InvalidArgument',
  PutSecretValue: 'InvalidParameterException',
};

class ServiceError extends Error {
  constructor(name: string, message: string, status = 400) {
    super(message);
    this.name = name;
    Object.assign(this, { $metadata: { httpStatusCode: status } });
  }
}

/** The origin rule as the construct synthesizes it (lib/tls/origin-verification.ts), in the SDK's shape. */
export function originRule(values: string[], priority = 0): Rule {
  const match = (value: string) => ({
    ByteMatchStatement: {
      FieldToMatch: { SingleHeader: { Name: ORIGIN_VERIFY_HEADER } },
      PositionalConstraint: 'EXACTLY' as const,
      SearchString: new TextEncoder().encode(value),
      TextTransformations: [{ Priority: 0, Type: 'NONE' as const }],
    },
  });
  const accepted = values.length === 1 ? match(values[0]) : { OrStatement: { Statements: values.map(match) } };
  return {
    Name: ORIGIN_VERIFY_RULE_NAME,
    Priority: priority,
    Action: { Block: {} },
    Statement: { NotStatement: { Statement: accepted } },
    VisibilityConfig: {
      CloudWatchMetricsEnabled: true,
      SampledRequestsEnabled: true,
      MetricName: 'SecureApi-Pets-RequireCloudFrontOriginHeader',
    },
  };
}

function acceptedBy(webAcl: WebACL): string[] {
  const statement = webAcl.Rules!.find((r) => r.Name === ORIGIN_VERIFY_RULE_NAME)!.Statement!.NotStatement!.Statement!;
  const matches = statement.OrStatement?.Statements ?? [statement];
  return matches.map((m) => new TextDecoder().decode(m.ByteMatchStatement!.SearchString as Uint8Array));
}

export class World {
  time = START;
  readonly wafPropagationMs: number;
  readonly deployMs: number;
  readonly calls: string[] = [];
  readonly violations: string[] = [];
  private readonly faults: Fault[] = [];
  /** Runs once before the next call of a command (a concurrent writer, a deployment). */
  private readonly before = new Map<string, () => void>();
  /** Runs once after the next call of a command has reached the service. */
  private readonly after = new Map<string, () => void>();
  /** Things that happen at a moment, whatever the handler is doing then (a deployment while it sleeps). */
  private readonly scheduled: Array<{ at: number; action: () => void }> = [];

  // Secrets Manager
  readonly versions = new Map<string, { value: string; stages: Set<string> }>();
  rotationEnabled = true;
  // WAF: the web ACL as stored, its lock token, and every stored version's accepted values with the time it was stored.
  webAcl: WebACL;
  lockToken = 'lock-1';
  readonly wafHistory: Array<{ at: number; accepted: string[] }> = [];
  // CloudFront: the configuration, its ETag, and every configured origin value with the time it was configured.
  distributionConfig: DistributionConfig;
  etag = 'ETAG1';
  readonly frontHistory: Array<{ at: number; value: string }> = [];

  readonly secretsClient = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly wafClient = new WAFV2Client({ region: 'eu-west-1' });
  readonly cloudFrontClient = new CloudFrontClient({ region: 'eu-west-1' });
  private generated = 0;
  readonly deps: HandlerDependencies;

  constructor(options: { current?: string; wafPropagationMs?: number; deployMs?: number; handlerWaitsMs?: number } = {}) {
    const current = options.current ?? 'origin-value-0000';
    this.wafPropagationMs = options.wafPropagationMs ?? MINUTE;
    this.deployMs = options.deployMs ?? 5 * MINUTE;
    this.versions.set('v0', { value: current, stages: new Set(['AWSCURRENT']) });
    this.webAcl = {
      Name: WEB_ACL.name,
      Id: WEB_ACL.id,
      ARN: WEB_ACL_ARN,
      DefaultAction: { Allow: {} },
      Description: 'cdk-secure-api web ACL of Test/Api',
      Rules: [
        originRule([current]),
        {
          Name: 'RateLimit',
          Priority: 1,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
          VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'RateLimit' },
        },
      ],
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'SecureApi-Pets' },
      Capacity: 712,
      LabelNamespace: `awswaf:111122223333:webacl:${WEB_ACL.name}:`,
      ManagedByFirewallManager: false,
      CustomResponseBodies: { TooManyRequests: { ContentType: 'APPLICATION_JSON', Content: '{"error":{"code":"TooManyRequests"}}' } },
      AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } },
    };
    this.wafHistory.push({ at: this.time - 24 * 60 * MINUTE, accepted: [current] });
    this.distributionConfig = {
      CallerReference: 'cdk-caller-reference',
      Comment: 'SecureApi front of api.example.com',
      Enabled: true,
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: 'TestApiHttpsFrontOrigin1',
            DomainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
            OriginPath: '/v1',
            CustomHeaders: { Quantity: 1, Items: [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: current }] },
          },
        ],
      },
      DefaultCacheBehavior: { TargetOriginId: 'TestApiHttpsFrontOrigin1', ViewerProtocolPolicy: 'redirect-to-https' },
      WebACLId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/Edge/abcd',
    };
    this.frontHistory.push({ at: this.time - 24 * 60 * MINUTE, value: current });

    const secrets = mockClient(this.secretsClient);
    secrets.on(DescribeSecretCommand).callsFake(() => this.call('DescribeSecret', () => this.describeSecret()));
    secrets.on(GetSecretValueCommand).callsFake((input) => this.call('GetSecretValue', () => this.getSecretValue(input), input));
    secrets.on(PutSecretValueCommand).callsFake((input) => this.call('PutSecretValue', () => this.putSecretValue(input), input));
    secrets
      .on(UpdateSecretVersionStageCommand)
      .callsFake((input) => this.call('UpdateSecretVersionStage', () => this.moveStage(input), input));
    const waf = mockClient(this.wafClient);
    waf.on(GetWebACLCommand).callsFake((input) => this.call('GetWebACL', () => this.getWebAcl(input), input));
    waf.on(UpdateWebACLCommand).callsFake((input) => this.call('UpdateWebACL', () => this.updateWebAcl(input), input));
    const cloudFront = mockClient(this.cloudFrontClient);
    cloudFront.on(GetDistributionCommand).callsFake((input) => this.call('GetDistribution', () => this.getDistribution(input), input));
    cloudFront
      .on(GetDistributionConfigCommand)
      .callsFake((input) => this.call('GetDistributionConfig', () => this.getDistributionConfig(input), input));
    cloudFront
      .on(UpdateDistributionCommand)
      .callsFake((input) => this.call('UpdateDistribution', () => this.updateDistribution(input), input));

    const clock = { now: () => this.time, sleep: async (ms: number) => this.advance(ms) };
    this.deps = {
      config: {
        secretArn: SECRET_ARN,
        distributionId: DISTRIBUTION_ID,
        webAcl: WEB_ACL,
        wafPropagationMs: options.handlerWaitsMs ?? 2 * MINUTE,
      },
      secrets: this.secretsClient,
      waf: this.wafClient,
      cloudFront: this.cloudFrontClient,
      clock,
      newSecretValue: () => `origin-value-${String(++this.generated).padStart(4, '0')}`,
    };
  }

  // ---- driving the handler -------------------------------------------------------------------------

  step(step: RotationStep, token: string, secretArn = SECRET_ARN): Promise<void> {
    return dispatch({ SecretId: secretArn, ClientRequestToken: token, Step: step }, this.deps, 15 * MINUTE);
  }

  /** Starts a rotation the way RotateSecret does: the new version exists with AWSPENDING, without a value yet. */
  startRotation(token: string): void {
    // RotateSecret refuses to start while AWSPENDING is on a version other than AWSCURRENT's (API reference, RotateSecret).
    const pending = [...this.versions].find(([, v]) => v.stages.has('AWSPENDING'));
    if (pending !== undefined && pending[0] !== token && !pending[1].stages.has('AWSCURRENT')) {
      throw new ServiceError('InvalidRequestException', 'A previous rotation isn’t complete. That rotation will be reattempted.');
    }
    for (const v of this.versions.values()) v.stages.delete('AWSPENDING');
    this.versions.set(token, { value: '', stages: new Set(['AWSPENDING']) });
  }

  /**
   * A whole rotation as Secrets Manager drives it: the steps in order; after a failed step, the rotation starts
   * again from createSecret with the same token, up to `attempts` times. Returns the errors seen.
   */
  async rotate(token: string, attempts = 4): Promise<Error[]> {
    this.startRotation(token);
    const errors: Error[] = [];
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        for (const step of STEPS) await this.step(step, token);
        return errors;
      } catch (error) {
        errors.push(error as Error);
        this.advance(MINUTE);
      }
    }
    throw new Error(`rotation ${token} still failing after ${attempts} attempts: ${errors.map((e) => e.message).join(' | ')}`);
  }

  inject(command: string, kind: Fault['kind'], nth = 1): void {
    this.faults.push({ command, kind, nth });
  }

  /** Runs `action` just before the next `command` call reaches the service. */
  beforeNext(command: string, action: () => void): void {
    this.before.set(command, action);
  }

  /** Runs `action` just after the next `command` call has reached the service (its response may still be lost). */
  afterNext(command: string, action: () => void): void {
    this.after.set(command, action);
  }

  /** Runs `action` at the moment `at`, in the middle of whatever wait of the handler spans it. */
  schedule(at: number, action: () => void): void {
    this.scheduled.push({ at, action });
    this.scheduled.sort((a, b) => a.at - b.at);
  }

  advance(ms: number): void {
    const until = this.time + ms;
    while (this.scheduled.length > 0 && this.scheduled[0].at <= until) {
      const { at, action } = this.scheduled.shift()!;
      this.time = Math.max(this.time, at);
      this.checkInvariant('after waiting');
      action();
      this.checkInvariant('after a scheduled change');
    }
    this.time = until;
    this.checkInvariant('after waiting');
  }

  // ---- what is true now ------------------------------------------------------------------------------

  valueOf(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  /** The values the stored web ACL accepts. */
  accepted(): string[] {
    return acceptedBy(this.webAcl);
  }

  /** The value the distribution's configuration sends. */
  sent(): string {
    return this.distributionConfig.Origins!.Items![0].CustomHeaders!.Items![0].HeaderValue!;
  }

  deployed(): boolean {
    return this.time >= this.frontHistory[this.frontHistory.length - 1].at + this.deployMs;
  }

  /** Values some edge location may send now: every value configured within the last deployment time. */
  valuesEdgesMaySend(): Set<string> {
    const values = new Set<string>();
    for (let i = this.frontHistory.length - 1; i >= 0; i--) {
      values.add(this.frontHistory[i].value);
      if (this.frontHistory[i].at <= this.time - this.deployMs) break;
    }
    return values;
  }

  /** Values every WAF enforcement point accepts now: those of every web ACL version stored within the propagation time. */
  valuesEveryWafPointAccepts(): Set<string> {
    let surely: Set<string> | undefined;
    for (let i = this.wafHistory.length - 1; i >= 0; i--) {
      const accepted = new Set(this.wafHistory[i].accepted);
      surely = surely === undefined ? accepted : new Set([...surely].filter((v) => accepted.has(v)));
      if (this.wafHistory[i].at <= this.time - this.wafPropagationMs) break;
    }
    return surely!;
  }

  checkInvariant(when: string): void {
    const accepted = this.valuesEveryWafPointAccepts();
    for (const value of this.valuesEdgesMaySend()) {
      if (!accepted.has(value))
        this.violations.push(`${when} at +${(this.time - START) / 1000}s: an edge may send ${value}, which WAF may refuse`);
    }
  }

  /** What a CloudFormation deployment does to the web ACL: the origin rule re-resolved to AWSCURRENT alone. */
  deploymentRewritesWebAcl(): void {
    this.storeWebAcl({
      ...this.webAcl,
      Rules: this.webAcl.Rules!.map((r) => (r.Name === ORIGIN_VERIFY_RULE_NAME ? originRule([this.valueOf('AWSCURRENT')!]) : r)),
    });
  }

  /** What a CloudFormation deployment does to the distribution: the origin header re-resolved to AWSCURRENT. */
  deploymentRewritesDistribution(): void {
    this.storeDistribution(withValue(this.distributionConfig, this.valueOf('AWSCURRENT')!));
  }

  /** Another writer adds a rule to the web ACL (a deployment, an operator). */
  anotherWriterAddsRule(name: string): void {
    this.storeWebAcl({
      ...this.webAcl,
      Rules: [
        ...this.webAcl.Rules!,
        {
          Name: name,
          Priority: 50,
          Action: { Block: {} },
          Statement: { GeoMatchStatement: { CountryCodes: ['KP'] } },
          VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: name },
        },
      ],
    });
  }

  // ---- the modelled services ---------------------------------------------------------------------------

  private async call<T>(name: string, apply: () => T, input?: unknown): Promise<T> {
    this.calls.push(name);
    const hook = this.before.get(name);
    if (hook !== undefined) {
      this.before.delete(name);
      hook();
    }
    const index = this.faults.findIndex((f) => f.command === name && --f.nth === 0);
    if (index >= 0) {
      const [fault] = this.faults.splice(index, 1);
      if (fault.kind === 'throttle') throw new ServiceError('ThrottlingException', 'Rate exceeded', 429);
      if (fault.kind === 'invalid') {
        // A validation error that quotes what it refused, the way WAF's "Error reason: …, field: …, parameter: …" does.
        throw new ServiceError(
          INVALID_PARAMETER[name] ?? 'ValidationException',
          `Error reason: The parameter is not valid., field: ${name}, parameter: ${JSON.stringify(input, (_key, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v))}`,
        );
      }
      apply(); // a lost response: the service applied the call, the client never heard back
      this.checkInvariant(`after ${name}`);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    }
    const result = apply();
    this.checkInvariant(`after ${name}`);
    const afterHook = this.after.get(name);
    if (afterHook !== undefined) {
      this.after.delete(name);
      afterHook();
    }
    return structuredClone(result);
  }

  private describeSecret() {
    const stages: Record<string, string[]> = {};
    for (const [id, v] of this.versions) if (v.stages.size > 0) stages[id] = [...v.stages];
    return { ARN: SECRET_ARN, RotationEnabled: this.rotationEnabled, VersionIdsToStages: stages };
  }

  private getSecretValue(input: { SecretId?: string; VersionId?: string; VersionStage?: string }) {
    const version = this.versions.get(input.VersionId!);
    if (
      input.SecretId !== SECRET_ARN ||
      version === undefined ||
      version.value === '' ||
      (input.VersionStage && !version.stages.has(input.VersionStage))
    ) {
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value");
    }
    return { ARN: SECRET_ARN, VersionId: input.VersionId, SecretString: version.value };
  }

  private putSecretValue(input: { SecretId?: string; ClientRequestToken?: string; SecretString?: string; VersionStages?: string[] }) {
    const existing = this.versions.get(input.ClientRequestToken!);
    if (existing !== undefined && existing.value !== '' && existing.value !== input.SecretString) {
      throw new ServiceError('ResourceExistsException', 'A version with this token already exists with another value');
    }
    for (const stage of input.VersionStages ?? []) for (const v of this.versions.values()) v.stages.delete(stage);
    this.versions.set(input.ClientRequestToken!, { value: input.SecretString!, stages: new Set(input.VersionStages) });
    return { ARN: SECRET_ARN, VersionId: input.ClientRequestToken };
  }

  private moveStage(input: { VersionStage?: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) {
    const stage = input.VersionStage!;
    const holder = [...this.versions].find(([, v]) => v.stages.has(stage))?.[0];
    if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
      throw new ServiceError('InvalidParameterException', `The parameter RemoveFromVersionId must be ${holder}`);
    }
    if (holder !== undefined) this.versions.get(holder)!.stages.delete(stage);
    this.versions.get(input.MoveToVersionId!)!.stages.add(stage);
    if (stage === 'AWSCURRENT' && holder !== undefined && holder !== input.MoveToVersionId) {
      for (const v of this.versions.values()) v.stages.delete('AWSPREVIOUS');
      this.versions.get(holder)!.stages.add('AWSPREVIOUS');
    }
    return {};
  }

  private getWebAcl(input: { Name?: string; Id?: string; Scope?: string }) {
    if (input.Name !== WEB_ACL.name || input.Id !== WEB_ACL.id || input.Scope !== WEB_ACL.scope) {
      throw new ServiceError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
    }
    return { WebACL: this.webAcl, LockToken: this.lockToken };
  }

  private updateWebAcl(input: any) {
    if (input.Name !== WEB_ACL.name || input.Id !== WEB_ACL.id || input.Scope !== WEB_ACL.scope) {
      throw new ServiceError('WAFNonexistentItemException', 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.');
    }
    if (input.LockToken !== this.lockToken)
      throw new ServiceError(
        'WAFOptimisticLockException',
        'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it.',
      );
    for (const required of ['DefaultAction', 'VisibilityConfig']) {
      if (input[required] === undefined) throw new ServiceError('WAFInvalidParameterException', `${required} is required`);
    }
    for (const readOnly of ['ARN', 'Capacity', 'LabelNamespace', 'ManagedByFirewallManager']) {
      if (input[readOnly] !== undefined)
        throw new ServiceError('ValidationException', `${readOnly} is not a member of UpdateWebACLRequest`);
    }
    const { Scope: _scope, LockToken: _token, ...settings } = input;
    // Fields the request leaves out are reset: that is UpdateWebACL's documented full replacement.
    this.storeWebAcl({
      ARN: WEB_ACL_ARN,
      Capacity: this.webAcl.Capacity,
      LabelNamespace: this.webAcl.LabelNamespace,
      ManagedByFirewallManager: false,
      ...settings,
    });
    return { NextLockToken: this.lockToken };
  }

  private storeWebAcl(webAcl: WebACL): void {
    this.webAcl = structuredClone(webAcl);
    this.lockToken = `lock-${Number(this.lockToken.slice(5)) + 1}`;
    this.wafHistory.push({ at: this.time, accepted: acceptedBy(this.webAcl) });
  }

  private getDistribution(input: { Id?: string }) {
    this.requireDistribution(input.Id);
    return {
      Distribution: {
        Id: DISTRIBUTION_ID,
        Status: this.deployed() ? 'Deployed' : 'InProgress',
        DistributionConfig: this.distributionConfig,
      },
      ETag: this.etag,
    };
  }

  private getDistributionConfig(input: { Id?: string }) {
    this.requireDistribution(input.Id);
    return { DistributionConfig: this.distributionConfig, ETag: this.etag };
  }

  private updateDistribution(input: { Id?: string; IfMatch?: string; DistributionConfig?: DistributionConfig }) {
    this.requireDistribution(input.Id);
    if (input.IfMatch !== this.etag)
      throw new ServiceError(
        'PreconditionFailed',
        'The precondition given in one or more of the request header fields evaluated to false.',
        412,
      );
    if (input.DistributionConfig?.CallerReference !== this.distributionConfig.CallerReference) {
      throw new ServiceError('IllegalUpdate', 'CallerReference cannot be changed');
    }
    this.storeDistribution(input.DistributionConfig!);
    return { Distribution: { Id: DISTRIBUTION_ID, Status: 'InProgress' }, ETag: this.etag };
  }

  private storeDistribution(config: DistributionConfig): void {
    this.distributionConfig = structuredClone(config);
    this.etag = `ETAG${Number(this.etag.slice(4)) + 1}`;
    this.frontHistory.push({ at: this.time, value: this.sent() });
  }

  private requireDistribution(id: string | undefined): void {
    if (id !== DISTRIBUTION_ID) throw new ServiceError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
  }
}

function withValue(config: DistributionConfig, value: string): DistributionConfig {
  const copy = structuredClone(config);
  copy.Origins!.Items![0].CustomHeaders!.Items![0].HeaderValue = value;
  return copy;
}

/** Captures the handler's log lines, and fails the test if any holds an origin secret. */
export function captureLogs(): string[] {
  return captureSecretFreeLogs(/origin-value-/);
}
