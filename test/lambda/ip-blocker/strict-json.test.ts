import { hasDuplicateKeys, parseStrictObject } from '../../../lambda/ip-blocker/strict-json';

describe('hasDuplicateKeys', () => {
  it.each([
    ['two equal top-level keys', String.raw`{"a":1,"a":2}`],
    ['equal keys in a nested object', String.raw`{"x":{"b":1,"b":1}}`],
    ['equal keys in an object inside an array', String.raw`{"x":[1,{"b":1,"b":2}]}`],
    ['equal keys after a nested object closed', String.raw`{"a":{"b":1},"c":2,"a":3}`],
    ['equal keys after an array closed', String.raw`{"a":[1,2],"a":3}`],
    ['equal keys with white space around the tokens', '{ "a" : 1 ,\n\t"a" : 2 }'],
    ['one key written plainly and once with a \\u escape', String.raw`{"sourceIp":1,"\u0073ourceIp":2}`],
    ['keys that are equal after unescaping a quote', String.raw`{"a\"":1,"a\u0022":2}`],
    ['keys ending in an escaped backslash', String.raw`{"a\\":1,"a\\":2}`],
    ['two empty keys', '{"":1,"":2}'],
    ['two __proto__ keys', '{"__proto__":1,"__proto__":2}'],
  ])('finds %s', (_what, text) => {
    expect(hasDuplicateKeys(text)).toBe(true);
  });

  it.each([
    ['distinct keys', '{"a":1,"b":2}'],
    ['an empty object', '{}'],
    ['the same key at different depths', '{"a":1,"b":{"a":2}}'],
    ['the same key in sibling objects of an array', '{"x":[{"a":1},{"a":2}]}'],
    ['a key repeated as a value', '{"a":"a","b":"a"}'],
    ['a value that spells a key inside a string', String.raw`{"ua":"x\",\"ua\":\"y"}`],
    ['a value that ends in an escaped backslash', String.raw`{"a":"\\","b":"\\\\"}`],
    ['keys that differ only in letter case', '{"sourceIp":1,"SourceIp":2}'],
    ['strings holding braces, brackets and commas', String.raw`{"a":"{[,","b":"]},"}`],
    ['an array of strings equal to keys', '{"a":["a","a"],"b":1}'],
  ])('finds none in %s', (_what, text) => {
    expect(hasDuplicateKeys(text)).toBe(false);
  });

  it('refuses the break-out an attacker-controlled value would need to choose the blocked address', () => {
    // A user agent of `x","sourceIp":"198.51.100.1` written without escaping: JSON.parse keeps the last sourceIp.
    const forged = '{"sourceIp":"203.0.113.7","ua":"x","sourceIp":"198.51.100.1"}';
    expect((JSON.parse(forged) as { sourceIp: string }).sourceIp).toBe('198.51.100.1');
    expect(hasDuplicateKeys(forged)).toBe(true);
  });

  it('reads a large line in linear time', () => {
    const members = Array.from({ length: 20_000 }, (_, i) => `"k${i}":"${'v'.repeat(20)}"`);
    const text = `{${members.join(',')}}`;
    const started = Date.now();
    expect(hasDuplicateKeys(text)).toBe(false);
    expect(hasDuplicateKeys(`{${members.join(',')},"k0":1}`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('parseStrictObject', () => {
  it('returns the object of a well-formed line', () => {
    expect(parseStrictObject('{"sourceIp":"203.0.113.7","probe":true}')).toEqual({ value: { sourceIp: '203.0.113.7', probe: true } });
  });

  it('refuses a line with a duplicate key, at any depth', () => {
    expect(parseStrictObject('{"a":1,"a":2}')).toEqual({ problem: 'duplicate-key' });
    expect(parseStrictObject('{"a":{"b":1,"b":2}}')).toEqual({ problem: 'duplicate-key' });
  });

  it.each([
    ['an empty line', ''],
    ['text', 'authorizer rejected a request'],
    ['truncated JSON', '{"sourceIp":"203.0.113.7"'],
    ['trailing text after the object', '{"a":1} {"a":2}'],
    ['an array', '[{"sourceIp":"203.0.113.7"}]'],
    ['null', 'null'],
    ['a string', '"{\\"a\\":1}"'],
    ['a number', '42'],
    ['true', 'true'],
  ])('refuses %s as not JSON', (_what, text) => {
    expect(parseStrictObject(text)).toEqual({ problem: 'not-json' });
  });

  it('keeps a __proto__ key as data, without changing the prototype of the result', () => {
    const result = parseStrictObject('{"__proto__":{"polluted":true},"a":1}');
    expect('value' in result).toBe(true);
    if (!('value' in result)) return;
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect((result.value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
