import { isIntrinsic, referencedId, refersTo, show } from '../../lib/report';

describe('refersTo', () => {
  it('finds Ref, GetAtt and Fn::Sub references anywhere in a value', () => {
    const arn = { 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1::/restapis/', { Ref: 'Api' }, '/stages/', { Ref: 'Stage' }]] };
    expect(refersTo(arn, 'Stage')).toBe(true);
    expect(refersTo({ 'Fn::GetAtt': ['Acl', 'Arn'] }, 'Acl')).toBe(true);
    expect(refersTo({ 'Fn::Sub': 'arn:${Stage}' }, 'Stage')).toBe(true);
    expect(refersTo(arn, 'StageB')).toBe(false);
  });
});

describe('referencedId', () => {
  it('reads Ref and both GetAtt forms, nothing else', () => {
    expect(referencedId({ Ref: 'A' })).toBe('A');
    expect(referencedId({ 'Fn::GetAtt': ['B', 'Arn'] })).toBe('B');
    expect(referencedId({ 'Fn::GetAtt': 'C.Arn' })).toBe('C');
    expect(referencedId('D')).toBeUndefined();
  });
});

describe('show', () => {
  it('renders absent values, intrinsics by name, scalars as JSON, and cuts long values', () => {
    expect(show(undefined)).toBe('(absent)');
    expect(show({ 'Fn::GetAtt': ['Cert', 'ClientCertificateId'] })).toBe('Fn::GetAtt(Cert)');
    expect(show({ 'Fn::Join': ['', ['a']] })).toBe('Fn::Join(…)');
    expect(show(true)).toBe('true');
    expect(show('x'.repeat(200))).toHaveLength(118);
    expect(isIntrinsic({ Ref: 'A', Other: 1 })).toBe(false);
  });
});
