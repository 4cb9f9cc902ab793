import { keyOnlyWarning, keyRequiredOperations } from '../../lib/keys/api-key-body';

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
    expect(keyOnlyWarning(decisions, 'Stack/Api')).toBe(
      "SecureApi 'Stack/Api': metered is protected by an API key alone; API keys identify and meter clients but do not authenticate them. Require a JWT as well (auth).",
    );
    expect(keyOnlyWarning([...decisions, { operationId: 'alsoMetered', security: [{ api_key: [] }] }], 'Stack/Api')).toContain('alsoMetered, metered are protected');
  });

  it('says nothing when every keyed operation also needs a token', () => {
    expect(keyOnlyWarning(decisions.slice(1), 'Stack/Api')).toBeUndefined();
  });
});
