import { Duration, Lazy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { PropCheck, SecureApiConfigError } from '../../lib/model';
import { ApiConsumer, ApiKeySource, ApiKeysOptions, UsageTier } from '../../lib/keys/api-keys-options';
import {
  API_GATEWAY_KEY_LIMITS,
  consumerIdentity,
  DEFAULT_ROTATION,
  KEYS_PER_CONSUMER,
  methodThrottleKey,
  resolveRotation,
  validateApiKeysOptions,
} from '../../lib/keys/validate';
import { apiOperation } from '../support/api-operation';
import { errorThrownBy } from '../support/thrown-error';

const LABEL = 'Stack/Api';
const OPERATIONS = [apiOperation('listPets', 'get', '/pets'), apiOperation('createPet', 'post', '/pets')];
const TIER: UsageTier = { name: 'basic', throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 1000, period: apigw.Period.DAY } };
const CONSUMER: ApiConsumer = { id: 'partner-a', tier: 'basic' };

const options = (o: Partial<ApiKeysOptions> = {}): ApiKeysOptions => ({ tiers: [TIER], consumers: [CONSUMER], ...o });
const validate = (o: Partial<ApiKeysOptions> = {}, issuers: string[] = []) =>
  validateApiKeysOptions(options(o), OPERATIONS, LABEL, issuers);

/** The config error `run` throws. */
const errorOf = (run: () => unknown): SecureApiConfigError => errorThrownBy(SecureApiConfigError, run);

describe('validateApiKeysOptions', () => {
  it('accepts a tier and a consumer of it, with no warning', () => {
    expect(validate()).toEqual([]);
  });

  describe('tiers', () => {
    it('requires at least one tier', () => {
      expect(errorOf(() => validate({ tiers: [], consumers: [] })).propPath).toBe('apiKeys.tiers');
    });

    it(`refuses more tiers than API Gateway's ${API_GATEWAY_KEY_LIMITS.usagePlans} usage plans`, () => {
      const tiers = Array.from({ length: API_GATEWAY_KEY_LIMITS.usagePlans + 1 }, (_, i) => ({ ...TIER, name: `t${i}` }));
      expect(errorOf(() => validate({ tiers, consumers: [] })).problem).toContain('declares 301 tiers');
    });

    it.each(['', '-basic', 'has space', 'a/b', 'é', 'x'.repeat(65)])('refuses the tier name %j', (name) => {
      const error = errorOf(() => validate({ tiers: [{ ...TIER, name }], consumers: [] }));
      expect(error.propPath).toBe('apiKeys.tiers[0].name');
    });

    it('accepts a 64-character name of letters, digits, dot, underscore and dash', () => {
      const name = 'A0._-'.padEnd(64, 'z');
      expect(() => validate({ tiers: [{ ...TIER, name }], consumers: [] })).not.toThrow();
    });

    it('refuses a tier name declared twice', () => {
      const error = errorOf(() => validate({ tiers: [TIER, TIER] }));
      expect([error.propPath, error.problem]).toEqual(['apiKeys.tiers[1].name', "'basic' is declared twice"]);
    });

    it.each([
      ['rateLimit', { rateLimit: 0, burstLimit: 1 }],
      ['rateLimit', { rateLimit: NaN, burstLimit: 1 }],
      ['burstLimit', { rateLimit: 1, burstLimit: 0 }],
      ['burstLimit', { rateLimit: 1, burstLimit: 1.5 }],
    ])('refuses a throttle with a bad %s', (field, throttle) => {
      expect(errorOf(() => validate({ tiers: [{ ...TIER, throttle }] })).propPath).toBe(`apiKeys.tiers[0].throttle.${field}`);
    });

    it("warns when a throttle exceeds the account's default throttle", () => {
      const warnings = validate({ tiers: [{ ...TIER, throttle: { rateLimit: 20_000, burstLimit: 10 } }] });
      expect(warnings).toEqual([expect.stringContaining("exceeds API Gateway's default account throttle")]);
    });

    it('warns that a tier without a quota allows unlimited requests', () => {
      expect(validate({ tiers: [{ ...TIER, quota: undefined }] })).toEqual([
        "SecureApi 'Stack/Api': apiKeys.tiers[0] ('basic') has no quota: a key of this tier may make unlimited requests per period",
      ]);
    });

    it.each([
      [{ limit: 0, period: apigw.Period.DAY }, 'limit'],
      [{ limit: 1.5, period: apigw.Period.DAY }, 'limit'],
      [{ limit: 10, period: apigw.Period.DAY, offset: 1 }, 'offset'],
      [{ limit: 10, period: apigw.Period.WEEK, offset: 7 }, 'offset'],
      [{ limit: 10, period: apigw.Period.MONTH, offset: 28 }, 'offset'],
      [{ limit: 10, period: apigw.Period.MONTH, offset: -1 }, 'offset'],
      [{ limit: 10, period: 'YEAR' as apigw.Period }, 'period'],
    ])('refuses the quota %j', (quota, field) => {
      expect(errorOf(() => validate({ tiers: [{ ...TIER, quota }] })).propPath).toBe(`apiKeys.tiers[0].quota.${field}`);
    });

    it('accepts the largest offset of each period', () => {
      for (const [period, offset] of [
        [apigw.Period.DAY, 0],
        [apigw.Period.WEEK, 6],
        [apigw.Period.MONTH, 27],
      ] as const)
        expect(() => validate({ tiers: [{ ...TIER, quota: { limit: 1, period, offset } }] })).not.toThrow();
    });
  });

  describe('operation throttles', () => {
    it('refuses a throttle for an operationId the document does not have, listing the known ones', () => {
      const error = errorOf(() => validate({ tiers: [{ ...TIER, operationThrottles: { deletePet: { rateLimit: 1, burstLimit: 1 } } }] }));
      expect(error.propPath).toBe('apiKeys.tiers[0].operationThrottles.deletePet');
      expect(error.problem).toBe('names an operationId that is not in the document (known: createPet, listPets)');
    });

    it('refuses a prototype member name as an operationId', () => {
      const operationThrottles = JSON.parse('{"__proto__":{"rateLimit":1,"burstLimit":1}}');
      expect(errorOf(() => validate({ tiers: [{ ...TIER, operationThrottles }] })).propPath).toBe(
        'apiKeys.tiers[0].operationThrottles.__proto__',
      );
    });

    it(`refuses more than ${API_GATEWAY_KEY_LIMITS.methodThrottlesPerStage} method throttles in a tier`, () => {
      const many = Array.from({ length: 21 }, (_, i) => apiOperation(`op${i}`, 'get', `/op${i}`));
      const operationThrottles = Object.fromEntries(many.map((o) => [o.operationId, { rateLimit: 1, burstLimit: 1 }]));
      const error = errorOf(() => validateApiKeysOptions(options({ tiers: [{ ...TIER, operationThrottles }] }), many, LABEL));
      expect(error.propPath).toBe('apiKeys.tiers[0].operationThrottles');
    });

    it("warns that an operation throttle looser than the tier's does not loosen it", () => {
      const warnings = validate({ tiers: [{ ...TIER, operationThrottles: { listPets: { rateLimit: 100, burstLimit: 20 } } }] });
      expect(warnings).toEqual([
        expect.stringContaining("apiKeys.tiers[0].operationThrottles.listPets is looser than the tier's stage throttle"),
      ]);
    });
  });

  describe('consumers', () => {
    it('warns that no consumer means no key, so key-protected operations answer 403', () => {
      expect(validate({ consumers: [] })).toEqual([expect.stringContaining('apiKeys.consumers is empty')]);
    });

    it.each(['', '../etc', 'a b', '-x'])('refuses the consumer id %j', (id) => {
      expect(errorOf(() => validate({ consumers: [{ ...CONSUMER, id }] })).propPath).toBe('apiKeys.consumers[0].id');
    });

    it('refuses a consumer id declared twice', () => {
      expect(errorOf(() => validate({ consumers: [CONSUMER, CONSUMER] })).propPath).toBe('apiKeys.consumers[1].id');
    });

    it('refuses a consumer of a tier that is not declared, listing the declared ones', () => {
      const error = errorOf(() => validate({ consumers: [{ ...CONSUMER, tier: 'gold' }] }));
      expect([error.propPath, error.problem]).toEqual(['apiKeys.consumers[0].tier', "'gold' is not a declared tier (declared: basic)"]);
    });

    it(`refuses more consumers than API Gateway has keys for (${KEYS_PER_CONSUMER} keys each during a grace period)`, () => {
      const consumers = Array.from({ length: API_GATEWAY_KEY_LIMITS.apiKeys / KEYS_PER_CONSUMER + 1 }, (_, i) => ({
        id: `c${i}`,
        tier: 'basic',
      }));
      expect(errorOf(() => validate({ consumers })).propPath).toBe('apiKeys.consumers');
    });

    it('warns when consumers come near the stack resource limit', () => {
      const consumers = Array.from({ length: 34 }, (_, i) => ({ id: `c${i}`, tier: 'basic' }));
      expect(validate({ consumers })).toEqual([expect.stringContaining('so split consumers across stacks')]);
      expect(validate({ consumers: consumers.slice(0, 33) })).toEqual([]);
    });

    it('warns that clientId and issuer are ignored with the header key source', () => {
      const warnings = validate({ consumers: [{ ...CONSUMER, clientId: 'app', issuer: 'https://idp.example.com' }] });
      expect(warnings).toEqual([
        "SecureApi 'Stack/Api': apiKeys.consumers[0].clientId is ignored: it is used only with ApiKeySource.authorizer()",
        "SecureApi 'Stack/Api': apiKeys.consumers[0].issuer is ignored: it is used only with ApiKeySource.authorizer()",
      ]);
    });
  });

  describe('with ApiKeySource.authorizer()', () => {
    const source = ApiKeySource.authorizer();
    const ISSUERS = ['https://a.example.com', 'https://b.example.com'];

    it('accepts consumers told apart by issuer and client id', () => {
      const consumers = [
        { id: 'a', tier: 'basic', clientId: 'app', issuer: ISSUERS[0] },
        { id: 'b', tier: 'basic', clientId: 'app', issuer: ISSUERS[1] },
      ];
      expect(validate({ source, consumers }, ISSUERS)).toEqual([]);
    });

    it('refuses two consumers with the same issuer and client id (the authorizer could not tell them apart)', () => {
      const consumers = [
        { id: 'a', tier: 'basic', clientId: 'app', issuer: ISSUERS[0] },
        { id: 'b', tier: 'basic', clientId: 'app', issuer: ISSUERS[0] },
      ];
      expect(errorOf(() => validate({ source, consumers }, ISSUERS)).propPath).toBe('apiKeys.consumers[1].clientId');
    });

    it('refuses a consumer without a client id', () => {
      expect(errorOf(() => validate({ source }, ISSUERS.slice(0, 1))).propPath).toBe('apiKeys.consumers[0].clientId');
    });
  });
});

describe('consumerIdentity', () => {
  const check = new PropCheck(LABEL, 'apiKeys');
  const identity = (consumer: Partial<ApiConsumer>, issuers: string[]) =>
    consumerIdentity({ ...CONSUMER, ...consumer }, issuers, 'consumers[0]', check);

  it('takes the only trusted issuer when the consumer names none', () => {
    expect(identity({ clientId: 'app' }, ['https://a.example.com'])).toEqual({ issuer: 'https://a.example.com', clientId: 'app' });
  });

  it('requires the issuer when more than one is trusted (a client of another issuer could pick the same client id)', () => {
    const error = errorOf(() => identity({ clientId: 'app' }, ['https://a.example.com', 'https://b.example.com']));
    expect(error.propPath).toBe('apiKeys.consumers[0].issuer');
    expect(error.problem).toContain('https://a.example.com, https://b.example.com');
  });

  it('refuses an issuer the authorizer does not trust', () => {
    const error = errorOf(() => identity({ clientId: 'app', issuer: 'https://evil.example.com' }, ['https://a.example.com']));
    expect(error.problem).toBe("'https://evil.example.com' is not one of the authorizer's trusted issuers (https://a.example.com)");
  });

  it('refuses a missing or empty client id', () => {
    expect(errorOf(() => identity({}, ['https://a.example.com'])).propPath).toBe('apiKeys.consumers[0].clientId');
    expect(errorOf(() => identity({ clientId: '' }, ['https://a.example.com'])).problem).toBe('must not be empty');
  });

  it('cannot check an issuer against trusted issuers known only at deploy time, and does not pretend to', () => {
    const deployTime = Lazy.string({ produce: () => 'https://pool.example.com' });
    expect(identity({ clientId: 'app', issuer: 'https://a.example.com' }, [deployTime])).toEqual({
      issuer: 'https://a.example.com',
      clientId: 'app',
    });
  });

  it('does not print a deploy-time issuer token in the error', () => {
    const deployTime = Lazy.string({ produce: () => 'https://pool.example.com' });
    const error = errorOf(() => identity({ clientId: 'app' }, [deployTime, 'https://b.example.com']));
    expect(error.problem).toContain('<deploy-time value>');
    expect(error.problem).not.toContain('${Token');
  });
});

describe('resolveRotation', () => {
  const resolve = (o: Partial<ApiKeysOptions>, consumer: ApiConsumer = CONSUMER) =>
    resolveRotation(consumer, options({ consumers: [consumer], ...o }), LABEL);

  it('defaults to a 90-day rotation, 7 days of grace and deletion 7 days later', () => {
    expect(resolve({})).toEqual({
      periodDays: 90,
      gracePeriodSeconds: DEFAULT_ROTATION.gracePeriod.toSeconds(),
      deleteAfterSeconds: DEFAULT_ROTATION.deleteAfter.toSeconds(),
    });
    expect(DEFAULT_ROTATION.gracePeriod.toDays()).toBe(7);
  });

  it("takes the consumer's own setting over the shared one, field by field", () => {
    const consumer = { ...CONSUMER, rotation: { period: Duration.days(30) } };
    expect(resolve({ rotation: { period: Duration.days(60), gracePeriod: Duration.days(2) } }, consumer)).toEqual({
      periodDays: 30,
      gracePeriodSeconds: 2 * 86_400,
      deleteAfterSeconds: 7 * 86_400,
    });
  });

  it.each([
    ['not a whole number of days', Duration.hours(36)],
    ['longer than 1000 days', Duration.days(1001)],
    ['shorter than a day', Duration.hours(12)],
  ])('refuses a period %s', (_what, period) => {
    expect(errorOf(() => resolve({ rotation: { period, gracePeriod: Duration.hours(1) } })).propPath).toBe('apiKeys.rotation.period');
  });

  it("names the consumer's own prop when its setting is wrong", () => {
    const consumer = { ...CONSUMER, rotation: { period: Duration.hours(36) } };
    expect(errorOf(() => resolve({}, consumer)).propPath).toBe('apiKeys.consumers[0].rotation.period');
  });

  it('refuses a grace period as long as the rotation period (the next rotation would supersede a key still in grace)', () => {
    const error = errorOf(() => resolve({ rotation: { period: Duration.days(7), gracePeriod: Duration.days(7) } }));
    expect(error.propPath).toBe('apiKeys.rotation.gracePeriod');
    expect(error.problem).toContain('must be shorter than the rotation period');
  });

  it('refuses a duration in seconds that is a token', () => {
    const period = Duration.seconds(Lazy.number({ produce: () => 30 * 86_400 }));
    const error = errorOf(() => resolve({ rotation: { period } }));
    expect([error.propPath, error.problem]).toEqual(['apiKeys.rotation.period', 'must be a concrete duration, not a token']);
  });

  // Found by this test (issue 16), fixed: the token guard calls toSeconds() first, which aws-cdk-lib refuses
  // for a token in any unit but seconds, so `Duration.days(token)` fails with aws-cdk-lib's own error
  // ("Duration must be specified as 'Duration.seconds()' here"), naming neither SecureApi nor the prop.
  it('refuses a duration in days that is a token with a config error naming the prop', () => {
    const period = Duration.days(Lazy.number({ produce: () => 30 }));
    expect(errorOf(() => resolve({ rotation: { period } })).propPath).toBe('apiKeys.rotation.period');
  });
});

describe('methodThrottleKey', () => {
  it('is the API Gateway path and the upper-case method', () => {
    expect(methodThrottleKey(apiOperation('getPet', 'get', '/pets/{petId}'))).toBe('/pets/{petId}/GET');
    expect(methodThrottleKey(apiOperation('root', 'post', '/'))).toBe('//POST');
  });
});
