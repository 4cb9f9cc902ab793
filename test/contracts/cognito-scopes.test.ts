import { GROUP_SCOPES_ENV, OIDC_SCOPES, parseGroupScopesConfig } from '../../contracts/cognito-scopes';

describe('parseGroupScopesConfig', () => {
  it('reads the scopes each group grants', () => {
    const config = { scopesByGroup: { admins: ['orders/read', 'orders/write'], readers: ['orders/read'], none: [] } };
    expect(parseGroupScopesConfig(JSON.stringify(config))).toEqual(config);
  });

  it('fails closed when the variable is not set', () => {
    expect(() => parseGroupScopesConfig(undefined)).toThrow(`${GROUP_SCOPES_ENV} is not set`);
    expect(() => parseGroupScopesConfig('')).toThrow(`${GROUP_SCOPES_ENV} is not set`);
  });

  it.each([
    ['no scopesByGroup', {}],
    ['scopesByGroup null', { scopesByGroup: null }],
    ['scopesByGroup an array', { scopesByGroup: [['orders/read']] }],
    ['scopesByGroup a string', { scopesByGroup: 'admins' }],
  ])('refuses %s', (_what, value) => {
    expect(() => parseGroupScopesConfig(JSON.stringify(value))).toThrow(
      `${GROUP_SCOPES_ENV} must be JSON {"scopesByGroup": {group: [scope]}}`,
    );
  });

  it.each([
    ['a string instead of a list', { scopesByGroup: { admins: 'orders/write' } }],
    ['a number in the list', { scopesByGroup: { admins: ['orders/read', 1] } }],
    ['a nested list', { scopesByGroup: { admins: [['orders/write']] } }],
  ])('refuses a group whose scopes are %s, naming the group', (_what, value) => {
    expect(() => parseGroupScopesConfig(JSON.stringify(value))).toThrow(
      `${GROUP_SCOPES_ENV}: the scopes of group 'admins' must be an array of strings`,
    );
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseGroupScopesConfig('admins=orders/write')).toThrow(SyntaxError);
  });

  it('refuses JSON null rather than granting nothing silently', () => {
    expect(() => parseGroupScopesConfig('null')).toThrow();
  });
});

describe('OIDC_SCOPES', () => {
  it('holds only the sign-in scopes of OpenID Connect, none with a resource server prefix', () => {
    expect([...OIDC_SCOPES].sort()).toEqual(['email', 'openid', 'phone', 'profile']);
    for (const scope of OIDC_SCOPES) expect(scope).not.toContain('/');
  });
});
