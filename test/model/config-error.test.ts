import { formatConfigError, inConstruct, PropCheck, SecureApiConfigError } from '../../lib/model/config-error';
import { OpenApiError } from '../../lib/openapi';

describe('formatConfigError', () => {
  it('names the construct and the prop path on one line', () => {
    expect(formatConfigError('Stack/Api', 'auth.issuer', "must be an https:// URL, got 'x'")).toBe(
      "SecureApi 'Stack/Api': auth.issuer must be an https:// URL, got 'x'",
    );
  });

  it('leaves out what it does not know', () => {
    expect(formatConfigError('', 'openApi', 'is empty')).toBe('SecureApi: openApi is empty');
    expect(formatConfigError('Stack/Api', '', 'no operation has an integration')).toBe(
      "SecureApi 'Stack/Api': no operation has an integration",
    );
  });
});

describe('PropCheck', () => {
  it('throws a SecureApiConfigError carrying the construct path and the full prop path', () => {
    const check = new PropCheck('Stack/Api', 'waf').under('rateLimit');
    let thrown: unknown;
    try {
      check.fail('limit', 'must be at least 10, got 5');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SecureApiConfigError);
    expect(thrown).toMatchObject({ constructPath: 'Stack/Api', propPath: 'waf.rateLimit.limit' });
    expect((thrown as Error).message).toBe("SecureApi 'Stack/Api': waf.rateLimit.limit must be at least 10, got 5");
  });

  it('joins array indexes without a dot', () => {
    expect(() => new PropCheck('S/A', 'apiKeys.consumers').fail('[2].id', 'is empty')).toThrow(
      "SecureApi 'S/A': apiKeys.consumers[2].id is empty",
    );
  });

  it('that() throws only when the condition fails', () => {
    const check = new PropCheck('S/A');
    expect(() => check.that(true, 'apiName', 'is too long')).not.toThrow();
    expect(() => check.that(false, 'apiName', 'is too long')).toThrow("SecureApi 'S/A': apiName is too long");
  });
});

describe('inConstruct', () => {
  it('names the construct in a configuration error a pure pass threw without one', () => {
    let thrown: unknown;
    try {
      inConstruct('Stack/Api', () => new PropCheck('', 'cors').fail('allowOrigins', 'must list at least one origin'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SecureApiConfigError);
    expect(thrown).toMatchObject({ constructPath: 'Stack/Api', propPath: 'cors.allowOrigins', problem: 'must list at least one origin' });
    expect((thrown as Error).message).toBe("SecureApi 'Stack/Api': cors.allowOrigins must list at least one origin");
  });

  it('keeps an OpenApiError an OpenApiError, with its document and pointer', () => {
    let thrown: unknown;
    try {
      inConstruct('Stack/Api', () => {
        throw new OpenApiError('$ref points to nothing', 'pets.yaml', '/paths/~1a');
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(OpenApiError);
    expect(thrown).toMatchObject({ constructPath: 'Stack/Api', propPath: 'openApi', source: 'pets.yaml', pointer: '/paths/~1a' });
    expect((thrown as Error).message).toBe("SecureApi 'Stack/Api': openApi pets.yaml#/paths/~1a: $ref points to nothing");
  });

  it('passes an invariant violation (a plain Error) through unchanged', () => {
    const bug = new Error('scope map: no operation');
    expect(() =>
      inConstruct('Stack/Api', () => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
