import { keyOnlyOperations, keyOnlyWarning, keyRequiredOperations } from '../../lib/keys/api-key-body';

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
