import { PipelineWarning } from '../../lib/model';
import { findingId, groupFindings, SHOWN_OPERATIONS, warningDetails } from '../../lib/common/synth-findings';

const FILE = 'Stack.Api.secure-api-findings.json';

describe('findingId', () => {
  it('is one id per keyword', () => {
    expect(findingId({ keyword: 'discriminator', message: 'm' })).toBe('cdk-secure-api:discriminator');
  });

  it('groups keywords with a value under the keyword alone', () => {
    expect(findingId({ keyword: 'format:uuid', message: 'm' })).toBe('cdk-secure-api:format');
    expect(findingId({ keyword: 'format:date-time', message: 'm' })).toBe('cdk-secure-api:format');
    expect(findingId({ keyword: 'type:integer', message: 'm' })).toBe('cdk-secure-api:type');
    expect(findingId({ keyword: 'content-type:text/plain', message: 'm' })).toBe('cdk-secure-api:content-type');
    expect(findingId({ keyword: 'securityScheme:oauth', message: 'm' })).toBe('cdk-secure-api:securityScheme');
  });

  it('keeps the value of other keywords with a colon in the id', () => {
    expect(findingId({ keyword: 'cors:origin', message: 'm' })).toBe('cdk-secure-api:cors:origin');
  });

  it('uses "openapi" for a finding without a keyword', () => {
    expect(findingId({ message: 'm' })).toBe('cdk-secure-api:openapi');
  });

  it('replaces characters an annotation id should not hold, so a document cannot shape the id', () => {
    expect(findingId({ keyword: 'x y/z.$ref\n', message: 'm' })).toBe('cdk-secure-api:x_y_z__ref_');
    expect(findingId({ keyword: 'format:uuid', message: 'm' })).toMatch(/^cdk-secure-api:[A-Za-z0-9:_-]+$/);
  });

  it('gives a document with any number of formats a fixed number of ids', () => {
    const ids = ['uuid', 'email', 'uri', 'ipv4', 'date'].map((f) => findingId({ keyword: `format:${f}`, message: 'm' }));
    expect(new Set(ids).size).toBe(1);
  });
});

describe('groupFindings', () => {
  const warning = (operationId: string | undefined, keyword: string, message: string, level?: 'info' | 'warning'): PipelineWarning => ({
    ...(operationId !== undefined ? { operationId } : {}),
    keyword,
    message,
    ...(level !== undefined ? { level } : {}),
  });

  it('is empty without findings', () => {
    expect(groupFindings([], FILE)).toEqual([]);
  });

  it('keeps the message of a kind with one finding', () => {
    expect(groupFindings([warning('getPet', 'discriminator', "operation 'getPet': discriminator is not enforced")], FILE)).toEqual([
      {
        id: 'cdk-secure-api:discriminator',
        level: 'warning',
        message: "operation 'getPet': discriminator is not enforced",
        details: [{ operationId: 'getPet', message: "operation 'getPet': discriminator is not enforced" }],
      },
    ]);
  });

  it('summarizes a kind with several findings: count, operations, the first message and the detail file', () => {
    const [grouped] = groupFindings(
      [
        warning('getPet', 'format:uuid', "operation 'getPet': format uuid is not enforced"),
        warning('listPets', 'format:date-time', "operation 'listPets': format date-time is not enforced"),
      ],
      FILE,
    );
    expect(grouped.id).toBe('cdk-secure-api:format');
    expect(grouped.message).toBe(
      `2 finding(s) of kind 'format' on 2 operation(s) ('getPet', 'listPets'); the first: format uuid is not enforced. Every operation's detail is in ${FILE} in the cloud assembly`,
    );
    expect(grouped.details).toEqual([
      { operationId: 'getPet', message: "operation 'getPet': format uuid is not enforced" },
      { operationId: 'listPets', message: "operation 'listPets': format date-time is not enforced" },
    ]);
  });

  it(`names the first ${SHOWN_OPERATIONS} operations and counts the rest`, () => {
    const warnings = Array.from({ length: 20 }, (_, i) => warning(`op${i}`, 'discriminator', `operation 'op${i}': x`));
    const [grouped] = groupFindings(warnings, FILE);
    expect(grouped.message).toContain(`on 20 operation(s) ('op0', 'op1', 'op2', 'op3', 'op4', 'op5', 'op6', 'op7' and 12 more)`);
    expect(grouped.message).not.toContain("'op8'");
    expect(grouped.details).toHaveLength(20);
  });

  it('counts an operation with several findings of one kind once in the message, and keeps every detail', () => {
    const [grouped] = groupFindings([warning('a', 'format:uuid', 'x'), warning('a', 'format:email', 'y')], FILE);
    expect(grouped.message).toContain("on 1 operation(s) ('a')");
    expect(grouped.details).toHaveLength(2);
  });

  it('counts places when the findings name no operation', () => {
    const [grouped] = groupFindings([warning(undefined, 'openapi', 'first'), warning(undefined, 'openapi', 'second')], FILE);
    expect(grouped.message).toContain('on 2 place(s)');
    expect(grouped.details).toEqual([{ message: 'first' }, { message: 'second' }]);
  });

  it('gives one annotation per kind, in the order kinds first appear', () => {
    const grouped = groupFindings(
      [warning('a', 'nullable', 'n1'), warning('a', 'format:uuid', 'f1'), warning('b', 'nullable', 'n2')],
      FILE,
    );
    expect(grouped.map((g) => [g.id, g.details.length])).toEqual([
      ['cdk-secure-api:nullable', 2],
      ['cdk-secure-api:format', 1],
    ]);
  });

  it('takes the level of the kind from its first finding, warning by default', () => {
    const grouped = groupFindings([warning('a', 'derived-operation-id', 'd', 'info'), warning('a', 'nullable', 'n')], FILE);
    expect(grouped.map((g) => g.level)).toEqual(['info', 'warning']);
  });

  it('does not let an operationId in a message break the summary', () => {
    const [grouped] = groupFindings(
      [warning("it's", 'nullable', "operation 'it's': x"), warning('b', 'nullable', "operation 'b': y")],
      FILE,
    );
    expect(grouped.message).toContain("on 2 operation(s) ('it's', 'b')");
  });
});

describe('warningDetails', () => {
  it('lists one entry per detail of each warning kind, and none of the info kinds', () => {
    const grouped = groupFindings(
      [
        { operationId: 'a', keyword: 'nullable', message: 'n1' },
        { operationId: 'b', keyword: 'nullable', message: 'n2' },
        { operationId: 'a', keyword: 'derived-operation-id', message: 'd', level: 'info' },
      ],
      FILE,
    );
    expect(warningDetails(grouped)).toEqual([
      { id: 'cdk-secure-api:nullable', message: 'n1' },
      { id: 'cdk-secure-api:nullable', message: 'n2' },
    ]);
  });

  it('is empty without warnings', () => {
    expect(warningDetails([])).toEqual([]);
  });
});
