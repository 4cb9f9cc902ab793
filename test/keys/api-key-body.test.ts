import { ApiKeySource } from '../../lib';
import { assertKeySourceReaches, keyOnlyOperations, keyOnlyWarning, keyRequiredOperations } from '../../lib/keys/api-key-body';

const decisions = [
  { operationId: 'metered', security: [{ api_key: [] }] },
  { operationId: 'both', security: [{ SecureApiJwtAuthorizer: [], api_key: [] }] },
  { operationId: 'tokenOnly', security: [{ SecureApiJwtAuthorizer: [] }] },
  { operationId: 'health', security: [] },
];

describe('keyRequiredOperations', () => {
  it('lists the operations whose security requires an API key, with or without a token', () => {
    expect(keyRequiredOperations(decisions)).toEqual(['metered', 'both']);
  });
});

describe('keyOnlyWarning', () => {
  it('warns about operations an API key alone protects, because keys identify clients but do not authenticate them', () => {
    expect(keyOnlyWarning(keyOnlyOperations(decisions), false, 'Stack/Api')).toBe(
      "SecureApi 'Stack/Api': metered is protected by an API key alone; API keys identify and meter clients but do not authenticate them. Configure auth (Auth.jwt or Auth.cognito) and require a token on them in the document as well.",
    );
    expect(
      keyOnlyWarning(keyOnlyOperations([...decisions, { operationId: 'alsoMetered', security: [{ api_key: [] }] }]), true, 'Stack/Api'),
    ).toContain('alsoMetered, metered are protected');
  });

  it('says nothing when every keyed operation also needs a token', () => {
    expect(keyOnlyWarning(keyOnlyOperations(decisions.slice(1)), true, 'Stack/Api')).toBeUndefined();
  });
});

describe('assertKeySourceReaches', () => {
  const authorizerSource = { tiers: [], consumers: [], source: ApiKeySource.authorizer() };
  const keyed = (operationId: string, mechanism: string) => ({ operationId, security: [{ Scheme: [], api_key: [] }], mechanism });

  it('accepts keyed operations of the JWT authorizer, which returns the key', () => {
    expect(assertKeySourceReaches(authorizerSource, [], 'S/Api', [keyed('a', 'jwt')])).toEqual([]);
  });

  it('refuses keyed IAM and Cognito user pool operations: no authorizer of theirs returns a key', () => {
    expect(() => assertKeySourceReaches(authorizerSource, [], 'S/Api', [keyed('b', 'cognitoUserPool'), keyed('a', 'iam')])).toThrow(
      "SecureApi 'S/Api': apiKeys.source is ApiKeySource.authorizer(), but a (IAM), b (Cognito user pool) require an API key and are authorized by IAM or a Cognito user pool",
    );
  });

  it('warns about keyed operations of your own Lambda authorizer', () => {
    expect(assertKeySourceReaches(authorizerSource, [], 'S/Api', [keyed('c', 'lambda')])).toHaveLength(1);
  });

  it('refuses keyed operations with optional authentication: the anonymous caller gets no key from the authorizer', () => {
    const optional = (operationId: string) => ({ ...keyed(operationId, 'jwt'), access: { anonymousAllowed: true } });
    expect(() => assertKeySourceReaches(authorizerSource, [], 'S/Api', [keyed('a', 'jwt'), optional('browseCatalog')])).toThrow(
      "SecureApi 'S/Api': apiKeys.source is ApiKeySource.authorizer(), but browseCatalog requires an API key and makes authentication optional (security: [{}, ...]): the JWT authorizer lets a caller without a token through as anonymous, with no consumer whose key it could return as usageIdentifierKey, so API Gateway would answer 403 to every anonymous caller",
    );
    expect(
      assertKeySourceReaches({ ...authorizerSource, source: ApiKeySource.header() }, [], 'S/Api', [optional('browseCatalog')]),
    ).toEqual([]);
  });

  it('checks nothing with the header source, where the client sends the key', () => {
    expect(assertKeySourceReaches({ ...authorizerSource, source: ApiKeySource.header() }, ['k'], 'S/Api', [keyed('a', 'iam')])).toEqual([]);
  });
});
