/**
 * In-memory models of the parts of API Gateway and Secrets Manager the rotation function uses,
 * plugged into the SDK clients with aws-sdk-client-mock. Tests assert on this state (keys, plan
 * attachments, secret versions and labels), not on call counts. Faults can be injected per call:
 * a throttle or a conflict (rejected, nothing applied) or a lost response (applied server-side,
 * but the client sees a network error).
 */
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlansCommand,
  NotFoundException,
  TooManyRequestsException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  LimitExceededException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Clock } from '../../../lambda/key-rotation/control-plane-retry';

export interface GatewayKey {
  id: string;
  name: string;
  value: string;
  enabled: boolean;
  tags: { [key: string]: string };
}

export class ApiGatewayModel {
  readonly keys = new Map<string, GatewayKey>();
  /** Key ids attached to each usage plan. */
  readonly planKeys = new Map<string, Set<string>>();
  private nextId = 1;

  constructor(planIds: string[]) {
    for (const id of planIds) this.planKeys.set(id, new Set());
  }

  addKey(key: Omit<GatewayKey, 'id'>, planId?: string): GatewayKey {
    const stored = { ...key, id: `key${this.nextId++}` };
    this.keys.set(stored.id, stored);
    if (planId !== undefined) this.planKeys.get(planId)!.add(stored.id);
    return stored;
  }

  attachedKeys(planId: string): GatewayKey[] {
    return [...this.planKeys.get(planId)!].map((id) => this.keys.get(id)!);
  }

  handle(command: string, input: any): any {
    switch (command) {
      case 'GetApiKeys': {
        const all = [...this.keys.values()].filter((k) => input.nameQuery === undefined || k.name.startsWith(input.nameQuery));
        const start = Number(input.position ?? 0);
        const limit = input.limit ?? 25;
        const page = all.slice(start, start + limit);
        return {
          items: page.map((k) => ({
            id: k.id,
            name: k.name,
            enabled: k.enabled,
            tags: { ...k.tags },
            ...(input.includeValues ? { value: k.value } : {}),
          })),
          position: start + limit < all.length ? String(start + limit) : undefined,
        };
      }
      case 'CreateApiKey': {
        if ([...this.keys.values()].some((k) => k.value === input.value)) throw conflict('API Key already exists');
        const key = this.addKey({ name: input.name, value: input.value, enabled: input.enabled === true, tags: { ...(input.tags ?? {}) } });
        return { id: key.id, name: key.name, enabled: key.enabled, tags: key.tags };
      }
      case 'GetApiKey': {
        const key = this.requireKey(input.apiKey);
        return { id: key.id, name: key.name, enabled: key.enabled, tags: key.tags, ...(input.includeValue ? { value: key.value } : {}) };
      }
      case 'UpdateApiKey': {
        const key = this.requireKey(input.apiKey);
        for (const op of input.patchOperations) {
          if (op.op === 'replace' && op.path === '/enabled') key.enabled = op.value === 'true';
          else throw new Error(`model: unsupported patch ${JSON.stringify(op)}`);
        }
        return { id: key.id, enabled: key.enabled };
      }
      case 'DeleteApiKey': {
        this.requireKey(input.apiKey);
        this.keys.delete(input.apiKey);
        for (const keys of this.planKeys.values()) keys.delete(input.apiKey);
        return {};
      }
      case 'GetUsagePlanKey': {
        const plan = this.requirePlan(input.usagePlanId);
        if (!plan.has(input.keyId)) throw notFound('Invalid Usage Plan Key identifier specified');
        const key = this.keys.get(input.keyId)!;
        return { id: key.id, name: key.name, type: 'API_KEY', value: key.value };
      }
      case 'GetUsagePlans': {
        const plans = [...this.planKeys]
          .filter(([, ids]) => input.keyId === undefined || ids.has(input.keyId))
          .map(([id]) => ({ id, name: id }));
        if (input.keyId !== undefined) this.requireKey(input.keyId);
        return { items: plans };
      }
      case 'CreateUsagePlanKey': {
        const plan = this.requirePlan(input.usagePlanId);
        this.requireKey(input.keyId);
        if (plan.has(input.keyId)) throw conflict('Usage Plan Key already exists');
        plan.add(input.keyId);
        return { id: input.keyId, type: 'API_KEY' };
      }
      default:
        throw new Error(`model: API Gateway command ${command} is not modelled`);
    }
  }

  private requireKey(id: string): GatewayKey {
    const key = this.keys.get(id);
    if (key === undefined) throw notFound('Invalid API Key identifier specified');
    return key;
  }

  private requirePlan(id: string): Set<string> {
    const plan = this.planKeys.get(id);
    if (plan === undefined) throw notFound('Invalid Usage Plan ID specified');
    return plan;
  }
}

interface SecretVersion {
  value?: string;
  stages: Set<string>;
}

export class SecretsManagerModel {
  readonly versions = new Map<string, SecretVersion>();
  readonly tags = new Map<string, string>();
  rotationEnabled = true;

  constructor(readonly arn: string) {}

  /** Adds a version as CloudFormation or an earlier rotation left it. */
  addVersion(id: string, value: string | undefined, stages: string[]): void {
    for (const stage of stages) this.removeStage(stage);
    this.versions.set(id, { value, stages: new Set(stages) });
  }

  valueOf(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  versionWith(stage: string): string | undefined {
    return [...this.versions.entries()].find(([, v]) => v.stages.has(stage))?.[0];
  }

  /** What RotateSecret does before invoking createSecret: a new version labelled AWSPENDING, no value yet. */
  startRotation(token: string): void {
    if (!this.versions.has(token)) this.addVersion(token, undefined, ['AWSPENDING']);
  }

  /** What Secrets Manager does after a successful finishSecret: the pending label goes away. */
  endRotation(token: string): void {
    this.versions.get(token)?.stages.delete('AWSPENDING');
  }

  private removeStage(stage: string): void {
    for (const version of this.versions.values()) version.stages.delete(stage);
  }

  handle(command: string, input: any): any {
    if (input.SecretId !== this.arn)
      throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
    switch (command) {
      case 'DescribeSecret': {
        const versionIdsToStages: { [id: string]: string[] } = {};
        for (const [id, v] of this.versions) if (v.stages.size > 0) versionIdsToStages[id] = [...v.stages];
        return {
          ARN: this.arn,
          RotationEnabled: this.rotationEnabled,
          VersionIdsToStages: versionIdsToStages,
          Tags: [...this.tags].map(([Key, Value]) => ({ Key, Value })),
        };
      }
      case 'GetSecretValue': {
        const id = input.VersionId ?? this.versionWith(input.VersionStage ?? 'AWSCURRENT');
        const version = id === undefined ? undefined : this.versions.get(id);
        if (
          version === undefined ||
          version.value === undefined ||
          (input.VersionStage !== undefined && !version.stages.has(input.VersionStage))
        ) {
          throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value.", $metadata: {} });
        }
        return { ARN: this.arn, VersionId: id, SecretString: version.value, VersionStages: [...version.stages] };
      }
      case 'PutSecretValue': {
        const existing = this.versions.get(input.ClientRequestToken);
        if (existing?.value !== undefined) {
          if (existing.value !== input.SecretString)
            throw new ResourceExistsException({
              message: "You can't modify an existing version, you can only create a new version.",
              $metadata: {},
            });
          return { ARN: this.arn, VersionId: input.ClientRequestToken };
        }
        const stages: string[] = input.VersionStages ?? ['AWSCURRENT'];
        for (const stage of stages) this.removeStage(stage);
        this.versions.set(input.ClientRequestToken, {
          value: input.SecretString,
          stages: new Set([...(existing?.stages ?? []), ...stages]),
        });
        return { ARN: this.arn, VersionId: input.ClientRequestToken };
      }
      case 'UpdateSecretVersionStage': {
        const stage: string = input.VersionStage;
        const holder = this.versionWith(stage);
        if (holder !== undefined && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
          throw new InvalidParameterException({
            message: `The parameter RemoveFromVersionId must be specified: ${stage} is attached to ${holder}`,
            $metadata: {},
          });
        }
        if (input.MoveToVersionId !== undefined && !this.versions.has(input.MoveToVersionId)) {
          throw new ResourceNotFoundException({ message: 'version not found', $metadata: {} });
        }
        if (holder !== undefined) this.versions.get(holder)!.stages.delete(stage);
        if (input.MoveToVersionId !== undefined) {
          this.versions.get(input.MoveToVersionId)!.stages.add(stage);
          if (stage === 'AWSCURRENT' && holder !== undefined && holder !== input.MoveToVersionId) {
            this.removeStage('AWSPREVIOUS');
            this.versions.get(holder)!.stages.add('AWSPREVIOUS');
          }
        }
        return { ARN: this.arn };
      }
      case 'TagResource': {
        const after = new Map(this.tags);
        for (const tag of input.Tags) after.set(tag.Key, tag.Value);
        // Secrets Manager allows 50 tags per secret.
        if (after.size > 50)
          throw new LimitExceededException({
            message: 'The request failed because it would exceed one of the Secrets Manager quotas.',
            $metadata: {},
          });
        for (const tag of input.Tags) this.tags.set(tag.Key, tag.Value);
        return {};
      }
      case 'UntagResource': {
        for (const key of input.TagKeys) this.tags.delete(key);
        return {};
      }
      default:
        throw new Error(`model: Secrets Manager command ${command} is not modelled`);
    }
  }
}

/** throttle and conflict: rejected, nothing applied; serverError: a 500, nothing applied; lostResponse: applied, but the client sees an error. */
export type FaultKind = 'throttle' | 'conflict' | 'serverError' | 'lostResponse';

/** A fault for the `nth` (1-based) call of `command` from now on. */
export interface Fault {
  readonly command: string;
  readonly kind: FaultKind;
  readonly nth?: number;
}

export function throttled(): Error {
  return new TooManyRequestsException({ message: 'Too Many Requests', retryAfterSeconds: '1', $metadata: { httpStatusCode: 429 } });
}

function conflict(message: string): Error {
  return new ConflictException({ message, $metadata: { httpStatusCode: 409 } });
}

function notFound(message: string): Error {
  return new NotFoundException({ message, $metadata: { httpStatusCode: 404 } });
}

function lostResponse(): Error {
  return Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
}

const GATEWAY_COMMANDS = {
  GetApiKeys: GetApiKeysCommand,
  CreateApiKey: CreateApiKeyCommand,
  GetApiKey: GetApiKeyCommand,
  UpdateApiKey: UpdateApiKeyCommand,
  DeleteApiKey: DeleteApiKeyCommand,
  GetUsagePlanKey: GetUsagePlanKeyCommand,
  GetUsagePlans: GetUsagePlansCommand,
  CreateUsagePlanKey: CreateUsagePlanKeyCommand,
};
const SECRETS_COMMANDS = {
  DescribeSecret: DescribeSecretCommand,
  GetSecretValue: GetSecretValueCommand,
  PutSecretValue: PutSecretValueCommand,
  UpdateSecretVersionStage: UpdateSecretVersionStageCommand,
  TagResource: TagResourceCommand,
  UntagResource: UntagResourceCommand,
};

/** The mocked clients, wired to the models, with a call log and pending faults. */
export class ModelledServices {
  readonly apiGateway = new APIGatewayClient({ region: 'eu-west-1' });
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly calls: string[] = [];
  private faults: Array<Fault & { remaining: number }> = [];

  constructor(
    readonly gateway: ApiGatewayModel,
    readonly secretsModel: SecretsManagerModel,
  ) {
    const gatewayMock = mockClient(this.apiGateway);
    for (const [name, command] of Object.entries(GATEWAY_COMMANDS)) {
      gatewayMock.on(command as any).callsFake((input: any) => this.call(name, () => gateway.handle(name, input)));
    }
    const secretsMock = mockClient(this.secrets);
    for (const [name, command] of Object.entries(SECRETS_COMMANDS)) {
      secretsMock.on(command as any).callsFake((input: any) => this.call(name, () => secretsModel.handle(name, input)));
    }
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.nth ?? 1 });
  }

  get pendingFaults(): number {
    return this.faults.length;
  }

  private async call(name: string, apply: () => unknown): Promise<unknown> {
    this.calls.push(name);
    const index = this.faults.findIndex((f) => f.command === name && --f.remaining === 0);
    if (index >= 0) {
      const [fault] = this.faults.splice(index, 1);
      if (fault.kind === 'throttle') throw throttled();
      if (fault.kind === 'conflict') throw conflict('Unable to complete operation due to concurrent modification. Please try again later.');
      if (fault.kind === 'serverError')
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
          name: 'InternalServiceError',
          $metadata: { httpStatusCode: 500 },
        });
      apply(); // lost response: the server applied the call, the client never heard back
      throw lostResponse();
    }
    return apply();
  }
}

/** A clock that advances only when the code under test sleeps. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
  random(): number {
    return 0.5;
  }
}
