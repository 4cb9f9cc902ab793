import { escapeJavaScript, jsonPath, renderMappingTemplate, urlEncode } from './api-gateway-vtl';

describe('the API Gateway mapping-template shim', () => {
  it('escapeJavaScript escapes as Commons Lang 2 does: quotes, backslash, slash, controls, non-ASCII as upper-case \\u', () => {
    expect(escapeJavaScript(`a'b"c\\d/e\nf\tg\u0001h é😀`)).toBe(`a\\'b\\"c\\\\d\\/e\\nf\\tg\\u0001h \\u00E9\\uD83D\\uDE00`);
  });

  it("urlEncode encodes as Java's URLEncoder: space as +, *-._ kept, UTF-8 bytes upper-case", () => {
    expect(urlEncode("a b*-._~'é&=")).toBe('a+b*-._%7E%27%C3%A9%26%3D');
  });

  it('replaceAll takes a Java regex, not a literal (JavaScript would take "\\\\\'" literally)', () => {
    expect(renderMappingTemplate(`$util.escapeJavaScript("it's").replaceAll("\\\\'","'")`).output).toBe("it's");
    expect(renderMappingTemplate('$input.body.replaceAll("[0-9]+","#")', { body: 'a12b3' }).output).toBe('a#b#');
  });

  it('gives $input.json, $input.path, $input.params and $context as API Gateway does', () => {
    const request = { body: '{"a":{"b":[1,{"c":"x"}]}}', path: { id: '7' }, authorizer: { sub: 'u1' }, requestId: 'r1' };
    expect(
      renderMappingTemplate(
        `$input.json('$.a.b')|$input.path('$.a.b[1].c')|$input.params('id')|$context.authorizer.sub|$context.requestId`,
        request,
      ).output,
    ).toBe('[1,{"c":"x"}]|x|7|u1|r1');
    expect(renderMappingTemplate(`[$!context.authorizer.client_id]`).output).toBe('[]');
    expect(jsonPath({ a: [{ b: 2 }] }, '$.a[0].b')).toBe(2);
    expect(() => jsonPath({}, '$..a')).toThrow("unsupported JSONPath '$..a'");
  });

  it('captures a response status override, and base64Encode/parseJson work', () => {
    const rendered = renderMappingTemplate(
      `#set($context.responseOverride.status = 502)$util.base64Encode("hi")$util.parseJson('{"k":"v"}').k`,
    );
    expect(rendered).toEqual({ output: 'aGk=v', statusOverride: 502, headerOverrides: {} });
  });

  it('captures a response header override and reads request headers through $input.params().header.get', () => {
    const template = `#set($o = $input.params().header.get('Origin'))#set($context.responseOverride.header.X-Seen = $o)ok`;
    expect(renderMappingTemplate(template, { header: { Origin: 'https://a.example' } })).toEqual({
      output: 'ok',
      statusOverride: undefined,
      headerOverrides: { 'X-Seen': 'https://a.example' },
    });
  });

  it('does not parse an inserted value again as template text', () => {
    expect(renderMappingTemplate(`#set($x = $input.body)$x`, { body: '#set($y = 1)$util.urlEncode("a b")' }).output).toBe(
      '#set($y = 1)$util.urlEncode("a b")',
    );
  });
});
