import { declaredPublic, optOuts, validationGapWarnings } from '../../lib/report';

describe('optOuts', () => {
  it('names the prop of each opt-out warning, from the table or from the message', () => {
    expect(
      optOuts([
        {
          id: 'cdk-secure-api:waf-disabled',
          message: "SecureApi 'S/Api': waf.enabled is false: the stage has no web application firewall",
        },
        {
          id: 'cdk-secure-api:weakened',
          message: "SecureApi 'S/Api': data trace is on (stage.dataTrace: true): request and response payloads ...",
        },
        {
          id: 'cdk-secure-api:no-auth',
          message: "SecureApi 'S/Api' has no authentication: every operation is public. Set auth: Auth.jwt({ issuer, audience }).",
        },
        { id: 'cdk-secure-api:waf', message: "SecureApi 'S/Api': waf.logging.enabled is false: WAF decisions are not logged" },
      ]).map((o) => o.prop),
    ).toEqual(['waf.enabled', 'stage.dataTrace', 'auth', 'waf.logging.enabled']);
  });

  it('leaves out warnings that advise without turning a default off', () => {
    expect(
      optOuts([
        {
          id: 'cdk-secure-api:waf',
          message: "SecureApi 'S/Api': waf.forwardedIp: WAF takes client addresses from the X-Forwarded-For header",
        },
        {
          id: 'cdk-secure-api:parameter-schema',
          message: "operation 'getPet': API Gateway only checks that required parameters are present",
        },
        { id: 'cdk-secure-api:waf-capacity', message: 'the web ACL needs 1,600 WCU' },
      ]),
    ).toEqual([]);
  });
});

describe('validationGapWarnings', () => {
  it('keeps the pipeline warnings about one operation’s request rules, not its access', () => {
    expect(
      validationGapWarnings([
        { id: 'cdk-secure-api:format:date', message: "operation 'createPet': request body rule 'format:date' is not enforced" },
        { id: 'cdk-secure-api:security:__', message: "operation 'getHealth' (GET /health) is public: the document sets security: []" },
        { id: 'cdk-secure-api:waf', message: "SecureApi 'S/Api': waf.logging.enabled is false" },
      ]),
    ).toEqual([
      {
        operationId: 'createPet',
        id: 'cdk-secure-api:format:date',
        message: "operation 'createPet': request body rule 'format:date' is not enforced",
      },
    ]);
  });
});

describe('declaredPublic', () => {
  it('finds the operations the document makes public on purpose (security: [])', () => {
    expect([
      ...declaredPublic([
        { id: 'cdk-secure-api:security:__', message: "operation 'getHealth' (GET /health) is public: the document sets security: []" },
      ]),
    ]).toEqual(['getHealth']);
  });
});
