import {
  API_KEY_VALUE_LENGTH,
  apiKeyName,
  KEY_ID_TAG_PREFIX,
  KEY_OWNER_TAG,
  KEY_ROTATION_ENV,
  KEY_VERSION_TAG,
  parseApiKeySecret,
  parseUsageIdentifierMapping,
  SUPERSEDED_TAG_PREFIX,
  USAGE_IDENTIFIER_ENV,
} from '../../contracts/api-keys';

const KEY = 'k'.repeat(API_KEY_VALUE_LENGTH);

/** The message `run` throws. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('apiKeyName', () => {
  it('is the prefix followed by the secret version id', () => {
    expect(apiKeyName('DemoApiKeysPartnerA.', '0d2e5a0c-1111-4222-8333-944445555666')).toBe(
      'DemoApiKeysPartnerA.0d2e5a0c-1111-4222-8333-944445555666',
    );
  });
});

describe('parseApiKeySecret', () => {
  it('reads the consumer and its key', () => {
    expect(parseApiKeySecret(JSON.stringify({ consumerId: 'partner-a', apiKey: KEY }))).toEqual({ consumerId: 'partner-a', apiKey: KEY });
  });

  it('reads a missing or non-string consumer id as empty', () => {
    expect(parseApiKeySecret(JSON.stringify({ apiKey: KEY }))).toEqual({ consumerId: '', apiKey: KEY });
    expect(parseApiKeySecret(JSON.stringify({ consumerId: 7, apiKey: KEY }))).toEqual({ consumerId: '', apiKey: KEY });
  });

  it('keeps only the two fields, whatever else the secret holds', () => {
    expect(parseApiKeySecret(JSON.stringify({ consumerId: 'a', apiKey: KEY, extra: 'x' }))).toEqual({ consumerId: 'a', apiKey: KEY });
  });

  it('is undefined for no secret string, and for the placeholder written before the first rotation', () => {
    expect(parseApiKeySecret(undefined)).toBeUndefined();
    expect(parseApiKeySecret(JSON.stringify({ consumerId: 'partner-a', awaitingFirstRotation: 'Xy7pQ2' }))).toBeUndefined();
  });

  it.each([
    ['not JSON', 'apiKey=super-secret-value-123456', 'API key secret is not valid JSON'],
    ['JSON null', 'null', 'API key secret is not a JSON object'],
    ['a JSON string', '"super-secret-value-123456"', 'API key secret is not a JSON object'],
    [
      'a key shorter than 20 characters',
      '{"apiKey":"super-secret-value"}',
      'API key secret has an apiKey field that is not a string of at least 20 characters',
    ],
    [
      'a key that is not a string',
      '{"apiKey":12345678901234567890123}',
      'API key secret has an apiKey field that is not a string of at least 20 characters',
    ],
  ])('refuses %s without quoting the secret', (_what, secretString, message) => {
    const thrown = messageOf(() => parseApiKeySecret(secretString));
    expect(thrown).toBe(message);
    expect(thrown).not.toContain('super-secret');
  });

  it('accepts a key of exactly 20 characters', () => {
    expect(parseApiKeySecret(JSON.stringify({ apiKey: 'x'.repeat(20) }))?.apiKey).toHaveLength(20);
  });
});

describe('parseUsageIdentifierMapping', () => {
  const mapping = {
    claim: 'client_id',
    consumers: [{ issuer: 'https://idp.example.com', claimValue: 'app-1', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:a' }],
  };

  it('is undefined when the variable is not set', () => {
    expect(parseUsageIdentifierMapping(undefined)).toBeUndefined();
    expect(parseUsageIdentifierMapping('')).toBeUndefined();
  });

  it('reads the claim and each consumer, dropping unknown fields', () => {
    const withExtra = { ...mapping, extra: 1, consumers: [{ ...mapping.consumers[0], note: 'x' }] };
    expect(parseUsageIdentifierMapping(JSON.stringify(withExtra))).toEqual(mapping);
  });

  it('accepts an empty list of consumers', () => {
    expect(parseUsageIdentifierMapping(JSON.stringify({ claim: 'client_id', consumers: [] }))).toEqual({
      claim: 'client_id',
      consumers: [],
    });
  });

  it.each([
    ['null', null],
    ['an array', [mapping]],
    ['no claim', { consumers: mapping.consumers }],
    ['an empty claim', { ...mapping, claim: '' }],
    ['consumers that is not a list', { ...mapping, consumers: mapping.consumers[0] }],
    [
      'a consumer without an issuer (a claim is only trusted with its issuer)',
      { ...mapping, consumers: [{ claimValue: 'app-1', secretArn: 'arn' }] },
    ],
    ['a consumer with an empty claim value', { ...mapping, consumers: [{ ...mapping.consumers[0], claimValue: '' }] }],
    ['a consumer with a numeric claim value', { ...mapping, consumers: [{ ...mapping.consumers[0], claimValue: 1 }] }],
    ['a consumer that is null', { ...mapping, consumers: [null] }],
  ])('refuses %s, naming the variable and the expected shape', (_what, value) => {
    expect(() => parseUsageIdentifierMapping(JSON.stringify(value))).toThrow(`${USAGE_IDENTIFIER_ENV} must be JSON of the form`);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseUsageIdentifierMapping('{claim: client_id}')).toThrow(SyntaxError);
  });
});

describe('names', () => {
  it('gives every environment variable a distinct SECUREAPI_ name', () => {
    const names = [...Object.values(KEY_ROTATION_ENV), USAGE_IDENTIFIER_ENV];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^SECUREAPI_[A-Z_]+$/);
  });

  it('keeps the registry tag prefixes apart, so a version id cannot make one tag read as another', () => {
    expect(KEY_ID_TAG_PREFIX.startsWith(SUPERSEDED_TAG_PREFIX)).toBe(false);
    expect(SUPERSEDED_TAG_PREFIX.startsWith(KEY_ID_TAG_PREFIX)).toBe(false);
    for (const tag of [KEY_OWNER_TAG, KEY_VERSION_TAG]) {
      expect(tag.startsWith(KEY_ID_TAG_PREFIX)).toBe(false);
      expect(tag.startsWith(SUPERSEDED_TAG_PREFIX)).toBe(false);
    }
  });

  it('uses tag keys Secrets Manager and API Gateway accept (no aws: prefix, allowed characters)', () => {
    for (const tag of [KEY_ID_TAG_PREFIX, SUPERSEDED_TAG_PREFIX, KEY_OWNER_TAG, KEY_VERSION_TAG]) {
      expect(tag.toLowerCase().startsWith('aws:')).toBe(false);
      expect(tag).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u);
    }
  });
});
