import { sanitizeDocument } from '../../lib/docs/sanitize';
import { findSensitiveValues, formatFindings } from '../../lib/docs/sensitive-values';
import { loadDocumentFile } from '../../lib/openapi/load';
import { JsonObject } from '../../lib/model';
import { CorpusDocument, corpusFile } from '../fixtures/corpus';

/** A small valid document with one value planted at `/paths/~1things/get/<where>`. */
function documentWith(operationFields: JsonObject, schemas: JsonObject = {}): JsonObject {
  return {
    openapi: '3.0.3',
    info: { title: 'Things', version: '1.0.0', description: 'Manage things.' },
    paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'OK' } }, ...operationFields } } },
    components: { schemas },
  };
}

function kindsAt(document: JsonObject): Array<[string, string]> {
  return findSensitiveValues(document).map((f) => [f.pointer, f.kind]);
}

// Planted values are assembled at runtime so that no secret scanner mistakes this file for a leak.
const ACCESS_KEY = ['AKIA', 'Q3EGRIT7', 'ZKWN5LP2'].join('');
const JWT = [
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0',
  'eyJzdWIiOiJjbGllbnQtNDIiLCJzY29wZSI6InJlYWQifQ',
  'c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA',
].join('.');
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----'].join(' ');
const GITHUB_TOKEN = ['ghp', '_', 'a8Kd02LmQzP4rT9vX1cY7wE3uN6bH5sJ0gFq'].join('');

describe('findSensitiveValues: AWS identifiers', () => {
  it('finds an ARN in a description and names its JSON pointer', () => {
    const document = documentWith({ description: 'Backed by arn:aws:lambda:eu-west-1:210987654321:function:things-prod.' });
    expect(findSensitiveValues(document)).toEqual([
      {
        pointer: '/paths/~1things/get/description',
        kind: 'an AWS ARN',
        preview: 'arn:aws:lambda:eu-west-1:210987654321:function:things-prod.',
      },
    ]);
  });

  it('finds ARNs of every partition, and S3 ARNs that have no account', () => {
    const document = documentWith({
      'x-notes': ['arn:aws-cn:s3:::exports-cn', 'arn:aws-us-gov:sqs:us-gov-west-1:210987654321:jobs', 'arn:aws:s3:::things-exports/*'],
    });
    expect(kindsAt(document)).toEqual([
      ['/paths/~1things/get/x-notes/0', 'an AWS ARN'],
      ['/paths/~1things/get/x-notes/1', 'an AWS ARN'],
      ['/paths/~1things/get/x-notes/2', 'an AWS ARN'],
    ]);
  });

  it('accepts ARN templates and the AWS documentation account ids', () => {
    const document = documentWith({
      description:
        'Pass an ARN such as arn:aws:acm:region:account:certificate/12345678-1234-1234-1234-123456789012 or arn:aws:iam::123456789012:role/Example.',
    });
    expect(findSensitiveValues(document)).toEqual([]);
  });

  it('finds an account id named as one, as a string or a number, and in prose', () => {
    const document = documentWith(
      { description: 'Deployed to AWS account 210987654321 in Ireland.' },
      {
        Owner: {
          type: 'object',
          properties: { accountId: { type: 'string', example: '210987654321' }, awsAccount: { type: 'integer', example: 210987654322 } },
        },
      },
    );
    expect(kindsAt(document)).toEqual([
      ['/paths/~1things/get/description', 'an AWS account id'],
      ['/components/schemas/Owner/properties/accountId/example', 'an AWS account id'],
      ['/components/schemas/Owner/properties/awsAccount/example', 'an AWS account id'],
    ]);
  });

  it('finds an account id in an ECR registry hostname', () => {
    expect(kindsAt(documentWith({ description: 'Images come from 210987654321.dkr.ecr.eu-west-1.amazonaws.com/things.' }))).toEqual([
      ['/paths/~1things/get/description', 'an AWS account id'],
    ]);
  });

  it('does not take any twelve-digit number for an account id', () => {
    const document = documentWith(
      {},
      {
        Order: {
          type: 'object',
          properties: { barcode: { type: 'string', example: '400638133393' }, total: { type: 'integer', example: 100000000000 } },
        },
      },
    );
    expect(findSensitiveValues(document)).toEqual([]);
  });
});

describe('findSensitiveValues: credentials in examples', () => {
  it('finds an AWS access key id and masks it in the finding', () => {
    const document = documentWith({
      parameters: [{ name: 'X-Upload-Key', in: 'header', schema: { type: 'string' }, example: ACCESS_KEY }],
    });
    expect(findSensitiveValues(document)).toEqual([
      { pointer: '/paths/~1things/get/parameters/0/example', kind: 'an AWS access key id', preview: 'AKIA… 20 characters' },
    ]);
  });

  it("accepts AWS's documented example access key", () => {
    expect(findSensitiveValues(documentWith({ description: 'e.g. AKIAIOSFODNN7EXAMPLE' }))).toEqual([]);
  });

  it('finds a JWT in a header example', () => {
    const document = documentWith({
      parameters: [{ name: 'Authorization', in: 'header', schema: { type: 'string' }, example: `Bearer ${JWT}` }],
    });
    const findings = findSensitiveValues(document);
    expect(findings.map((f) => [f.pointer, f.kind])).toEqual([
      ['/paths/~1things/get/parameters/0/example', 'a JSON Web Token'],
      ['/paths/~1things/get/parameters/0/example', 'an example value that looks like a secret'],
    ]);
    expect(JSON.stringify(findings)).not.toContain(JWT.slice(10));
  });

  it('does not take a single base64url segment for a JWT', () => {
    expect(
      findSensitiveValues(
        documentWith({
          parameters: [{ name: 'offset', in: 'query', schema: { type: 'string' }, example: 'eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9' }],
        }),
      ),
    ).toEqual([]);
  });

  it('finds a private key anywhere', () => {
    expect(kindsAt(documentWith({}, { Cert: { type: 'object', properties: { pem: { type: 'string', example: PEM } } } }))).toEqual([
      ['/components/schemas/Cert/properties/pem/example', 'a private key'],
    ]);
  });

  it('finds well-known token formats', () => {
    expect(kindsAt(documentWith({ description: `Use ${GITHUB_TOKEN} for the mirror.` }))).toEqual([
      ['/paths/~1things/get/description', 'a well-known API token format'],
    ]);
  });

  it('finds a password inside a connection string', () => {
    expect(kindsAt(documentWith({ description: 'Reads from postgres://things:Tr0ub4dor3x@db.example.com/things.' }))).toEqual([
      ['/paths/~1things/get/description', 'a URL with a password'],
    ]);
  });

  it('finds a random-looking example of a field named like a secret, inside example objects too', () => {
    const document = documentWith(
      {
        requestBody: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Login' },
              example: { username: 'ana', client_secret: 'q8F2kZ0wL5vN7xR3mT9b' },
            },
          },
        },
      },
      {
        Login: {
          type: 'object',
          properties: {
            password: { type: 'string', example: 'Xy7!pQ2#rT9@kL4m' },
            apiKey: { type: 'string', default: '5f4dcc3b5aa765d61d8327deb882cf99' },
          },
        },
      },
    );
    expect(kindsAt(document)).toEqual([
      ['/paths/~1things/get/requestBody/content/application~1json/example/client_secret', 'an example value that looks like a secret'],
      ['/components/schemas/Login/properties/password/example', 'an example value that looks like a secret'],
      ['/components/schemas/Login/properties/apiKey/default', 'an example value that looks like a secret'],
    ]);
  });

  it('accepts placeholders and words as examples of secret fields, and secret-named fields that are ids', () => {
    const document = documentWith(
      {},
      {
        Login: {
          type: 'object',
          properties: {
            password: { type: 'string', example: 'your-password-here' },
            token: { type: 'string', example: '<token>' },
            apiKey: { type: 'string', example: 'xxxxxxxxxxxxxxxxxxxx' },
            authorization: { type: 'string', example: 'img-authz-plugin' },
            secretId: { type: 'string', example: 'fpjqlhnwb19zds35k8wn80lq9' },
          },
        },
      },
    );
    expect(findSensitiveValues(document)).toEqual([]);
  });

  it('does not judge descriptions by the name of the field they describe', () => {
    expect(
      findSensitiveValues(documentWith({}, { Token: { type: 'object', description: 'Q8f2kZ0wL5vN7xR3mT9b rotates daily.' } })),
    ).toEqual([]);
  });
});

describe('findSensitiveValues: internal hostnames', () => {
  it('finds internal names, private addresses and AWS backend endpoints in URLs', () => {
    const document = documentWith({
      'x-links': [
        'http://orders.svc.cluster.local:8080/v1',
        'https://10.20.0.15/health',
        'http://localhost:3000',
        'https://internal-api-1234.eu-west-1.elb.amazonaws.com',
        'https://things-db.c9akciq32.eu-west-1.rds.amazonaws.com',
        'https://abcdefg.lambda-url.eu-west-1.on.aws/',
        'http://169.254.169.254/latest/meta-data/',
      ],
    });
    expect(findSensitiveValues(document).map((f) => f.preview)).toEqual([
      'orders.svc.cluster.local',
      '10.20.0.15',
      'localhost',
      'internal-api-1234.eu-west-1.elb.amazonaws.com',
      'things-db.c9akciq32.eu-west-1.rds.amazonaws.com',
      'abcdefg.lambda-url.eu-west-1.on.aws',
      '169.254.169.254',
    ]);
  });

  it('finds internal names in prose, and names added to the list', () => {
    const document = documentWith({ description: 'Proxied to billing.prod.internal and then to ledger.corp.example.com.' });
    expect(kindsAt(document)).toEqual([['/paths/~1things/get/description', 'an internal hostname']]);
    expect(findSensitiveValues(document, { internalHostnames: ['corp.example.com'] }).map((f) => f.preview)).toEqual([
      'billing.prod.internal',
      'ledger.corp.example.com',
    ]);
  });

  it('accepts public hosts and private addresses that are example data rather than URLs', () => {
    const document = documentWith(
      { description: 'See https://docs.example.com and https://api.github.com. Bind to 0.0.0.0.' },
      {
        Network: {
          type: 'object',
          properties: { subnet: { type: 'string', example: '10.0.0.0/16' }, gateway: { type: 'string', example: '192.168.1.1' } },
        },
      },
    );
    expect(findSensitiveValues(document)).toEqual([]);
  });
});

describe('findSensitiveValues: options and messages', () => {
  it('accepts values listed as safe to publish', () => {
    const document = documentWith({ description: 'Backed by arn:aws:lambda:eu-west-1:210987654321:function:things-prod' });
    expect(findSensitiveValues(document, { allowedValues: ['arn:aws:lambda:eu-west-1:210987654321:function:things-prod'] })).toEqual([]);
  });

  it('checks object keys as well as values', () => {
    const document = documentWith({}, { Hosts: { type: 'object', example: { 'billing.prod.internal': 'up' } } });
    expect(kindsAt(document)).toEqual([['/components/schemas/Hosts/example/billing.prod.internal', 'an internal hostname']]);
  });

  it('ignores regular expressions in pattern', () => {
    expect(findSensitiveValues(documentWith({}, { Arn: { type: 'string', pattern: 'arn:aws:[a-z]+:[a-z0-9-]*:[0-9]{12}:.+' } }))).toEqual(
      [],
    );
  });

  it('formats an error that names every pointer and masks secrets', () => {
    const document = documentWith({
      description: 'arn:aws:sqs:eu-west-1:210987654321:jobs',
      parameters: [{ name: 'k', in: 'query', schema: { type: 'string' }, example: ACCESS_KEY }],
    });
    expect(formatFindings(findSensitiveValues(document))).toBe(
      'the public API documentation would publish 2 sensitive values:\n' +
        '  /paths/~1things/get/description: an AWS ARN (arn:aws:sqs:eu-west-1:210987654321:jobs)\n' +
        '  /paths/~1things/get/parameters/0/example: an AWS access key id (AKIA… 20 characters)\n' +
        'Remove them from the OpenAPI document, mark their operations internal (x-internal: true or docs.internalOperations), or list values that are safe to publish in docs.allowedValues.',
    );
  });
});

describe('findSensitiveValues on the sanitized corpus', () => {
  const findingsOf = (file: CorpusDocument): Array<[string, string, string]> =>
    findSensitiveValues(
      sanitizeDocument(loadDocumentFile(corpusFile(file)).document, { publicUrl: 'https://api.example.com' }).document,
    ).map((f) => [f.pointer, f.kind, f.preview]);

  it.each<CorpusDocument>([
    'apisguru-amazonaws.com-acm.json',
    'apisguru-adyen.com-LegalEntityService.json',
    'apisguru-asana.com.json',
    'petstore.yaml',
    'apisguru-twilio.com-twilio_verify_v2.json',
  ])('%s has nothing to report once its servers are replaced', (file) => {
    expect(findingsOf(file)).toEqual([]);
  });

  it('reports the localhost URLs of the Discourse document (its .local provider name is an unpublished extension)', () => {
    expect(findingsOf('apisguru-discourse.local.json')).toEqual([
      ['/info/description', 'an internal hostname', '127.0.0.1'],
      ['/paths/~1search.json/get/parameters/0/description', 'an internal hostname', 'localhost'],
    ]);
  });

  it('reports the Docker swarm join token example of the Docker Engine document', () => {
    expect(findingsOf('apisguru-docker.com-engine.json').filter((f) => f[1] !== 'an internal hostname')).toEqual([
      [
        '/paths/~1swarm~1join/post/requestBody/content/application~1json/schema/example/JoinToken',
        'an example value that looks like a secret',
        'SWMT… 85 characters',
      ],
      [
        '/paths/~1swarm~1join/post/requestBody/content/text~1plain/schema/example/JoinToken',
        'an example value that looks like a secret',
        'SWMT… 85 characters',
      ],
    ]);
  });
});
