import { Annotations, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { requirementKey } from '../../contracts/authorizer-cache';
import { AuthorizerIssuer, AuthorizerRoutes, routeKey } from '../../contracts/authorizer-config';
import { PropCheck, SecureApiConfigError } from '../model/config-error';
import {
  ApiOperation,
  BodyContribution,
  classifySecurityScheme,
  IAM_SCHEME_NAME,
  JsonObject,
  MechanismScheme,
  OperationSecurityDecision,
  SecurityMechanisms,
} from '../openapi';
import { AuthorizerCacheKey, AuthorizerOptions, AuthPropsCheck, JwtAuthProps } from './auth-options';
import { authorizerSchemeNames, checkAuthorizerQuota } from './authorizer-quota';
import { planAuthorizerCache } from './cache-proof';
import { CognitoOAuthServer, CognitoServerOptions, IFunctionLogGroupFactory } from './cognito-server';
import { IJwtAuthorizer, JwtAuthorizer, JwtAuthorizerProps } from './jwt-authorizer';
import { AuthorizedRoute, buildScopeMap, IssuerBinding, scopesOf } from './scope-map';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import {
  CognitoUserPoolAuthOptions,
  cognitoUserPoolScheme,
  unscopedCognitoOperations,
  unscopedCognitoWarning,
} from './cognito-user-pool-auth';
import { grantAuthorizerInvoke, lambdaAuthorizerScheme, LambdaAuthProps, planLambdaAuthorizer } from './lambda-auth';

/** Props of `Auth.cognito`. */
export interface CognitoAuthProps extends CognitoServerOptions, AuthorizerOptions {}

/** What SecureApi hands to {@link Auth.bind}. */
export interface AuthBindOptions {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  /** The REST API's name (the rejection metric's `Api` dimension). */
  readonly apiName: string;
  /** The operations of the API. */
  readonly operations: ApiOperation[];
  /** How each operation is protected, from `buildOperationSecurity` with the authorizer's scheme name. */
  readonly securityDecisions: OperationSecurityDecision[];
  /**
   * The document's `components.securitySchemes`, to bind each scheme's scopes to the issuers that serve it.
   * @default - none: every scope is granted by the first issuer only
   */
  readonly securitySchemes?: { [name: string]: JsonObject };
  /**
   * Routes the library adds outside the document (the docs route) that the authorizer protects.
   * @default - none
   */
  readonly extraRoutes?: AuthorizedRoute[];
  /** The authorizer function's log group. */
  readonly logGroup: logs.ILogGroup;
  /**
   * Creates the log groups of further functions (the Cognito pre-token-generation trigger).
   * @default - none; required by `Auth.cognito` with a userClient
   */
  readonly functionLogGroups?: IFunctionLogGroupFactory;
  /**
   * The stage's name: part of every resource of the token-keyed policy, so of its size.
   * @default - up to 128 characters
   */
  readonly stageName?: string;
}

/** The authorizer of one API, and the OAuth 2.0 server when SecureApi created one. */
export interface AuthBinding {
  /** The JWT authorizer. */
  readonly authorizer: IJwtAuthorizer;
  /**
   * The Cognito user pool and its clients, for `Auth.cognito`.
   * @default - none: `Auth.jwt` trusts an existing provider
   */
  readonly oauthServer?: CognitoOAuthServer;
  /**
   * The OAuth 2.0 token endpoint, when SecureApi created the server.
   * @default - none: `Auth.jwt` trusts an existing provider
   */
  readonly tokenUrl?: string;
}

/** What {@link Auth.bind} returns to SecureApi: the binding, with the authorizer's internal seams (scheme, scope map). */
export interface BoundAuth extends Omit<AuthBinding, 'authorizer'> {
  /**
   * The JWT authorizer.
   * @default - none: no operation uses `Auth.jwt` or `Auth.cognito` (for example IAM only)
   */
  readonly authorizer?: JwtAuthorizer;
  /**
   * What the other mechanisms (a Lambda or Cognito user pool authorizer) add to the imported body.
   * @default - nothing
   */
  readonly bodyContributions?: BodyContribution[];
  /**
   * Lets API Gateway invoke the authorizer functions of `api`.
   * @default - only the JWT authorizer's permission
   */
  readonly grantInvoke?: (api: apigw.IRestApi) => void;
}

/** How the configured auth decides operations, before anything is created: what `buildOperationSecurity` needs. */
export interface AuthPlan {
  /** The mechanisms, by document scheme, and the default of operations that declare none. */
  readonly mechanisms: Pick<SecurityMechanisms, 'authorizerSchemeName' | 'schemes' | 'defaultMechanism'>;
  /** Whether SecureApi's JWT authorizer is part of it (its log group, the docs route, API keys from the authorizer). */
  readonly jwtAuthorizer: boolean;
}

/** Options of `Auth.schemes`. */
export interface SchemesAuthOptions {
  /**
   * The document security scheme whose mechanism protects operations that declare no security requirement.
   * @default - the only mechanism of the map when it has one; otherwise such an operation is a synth error
   */
  readonly defaultScheme?: string;
  /**
   * This API's quota of authorizers ("Authorizers per API"), when AWS Support has raised it. SecureApi counts
   * the authorizers the map declares (the JWT authorizer may declare up to three: per operation, token-keyed and
   * optional authentication; each distinct `Auth.lambda` and `Auth.cognitoUserPool` one) and refuses more.
   * @default 10 - API Gateway's default quota for a REST API
   */
  readonly authorizersPerApi?: number;
}

/**
 * How SecureApi authenticates callers with OAuth 2.0 / OpenID Connect access tokens: a JWT Lambda
 * authorizer that verifies the token and enforces the scopes each operation's OpenAPI `security` names.
 * `Auth.jwt({ issuer, audience })` trusts any OIDC provider; `Auth.cognito()` creates a Cognito user pool
 * as the OAuth 2.0 server. Either way the same authorizer verifies the tokens.
 */
export abstract class Auth {
  /** Access tokens of an OpenID Connect provider (Auth0, Okta, Entra ID, Keycloak, an existing Cognito pool...). */
  public static jwt(props: JwtAuthProps): Auth {
    return new JwtAuth(props);
  }

  /** A new Cognito user pool as the OAuth 2.0 server, with a resource server holding the document's scopes. */
  public static cognito(props: CognitoAuthProps = {}): Auth {
    return new CognitoAuth(props);
  }

  /**
   * A mechanism for each of the document's security schemes, by the scheme's name in
   * `components.securitySchemes`: for example `{ oauth: Auth.jwt({...}), partner: Auth.lambda({...}) }`.
   * A scheme the map does not name is a synth error, unless it is API Gateway's IAM convention
   * (`x-amazon-apigateway-authtype: awsSigv4`, always IAM) or an API-key header (API Gateway's API keys).
   */
  public static schemes(schemes: { [schemeName: string]: Auth }, options: SchemesAuthOptions = {}): Auth {
    return new SchemesAuth(schemes, options);
  }

  /**
   * IAM (`AWS_IAM`): API Gateway checks the caller's SigV4 signature and its `execute-api:Invoke`
   * permission. A scheme of API Gateway's IAM convention needs no configuration; `Auth.iam()` maps a scheme
   * of any other shape to IAM in `Auth.schemes`, or, as `auth` itself, protects operations that declare no security.
   */
  public static iam(): Auth {
    return new IamAuth();
  }

  /**
   * Your own Lambda function as API Gateway's REQUEST authorizer. Its cache key includes the operation by
   * default, so a policy cached for one operation never decides another; API Gateway may invoke it only
   * for this API, from this account. In `Auth.schemes` it serves the schemes mapped to it; as `auth`
   * itself, the document's `x-amazon-apigateway-authtype: custom` schemes and operations that declare nothing.
   */
  public static lambda(props: LambdaAuthProps): Auth {
    return new LambdaAuth(props);
  }

  /**
   * API Gateway's native Cognito user pool authorizer (`COGNITO_USER_POOLS`) for an existing pool. Each
   * operation's `authorizationScopes` come from its `security` requirement; with scopes API Gateway requires
   * an access token, without them it also takes an ID token (a synth warning names those operations), and it
   * never restricts tokens to an app client. In `Auth.schemes` it serves the schemes mapped to it; as `auth`
   * itself, the document's `cognito_user_pools` and OAuth 2.0 / OpenID Connect schemes and operations that declare nothing.
   */
  public static cognitoUserPool(userPool: cognito.IUserPool, options: CognitoUserPoolAuthOptions = {}): Auth {
    return new CognitoUserPoolAuth(userPool, options);
  }

  /** The scheme name SecureApi writes on every operation its JWT authorizer protects in the imported body. */
  public readonly schemeName = JwtAuthorizer.SCHEME_NAME;

  /**
   * How this auth decides each operation's mechanism. Called by SecureApi before {@link bind}.
   * @jsii ignore its result carries the OpenAPI pipeline's internal types; other languages use the static factories.
   */
  public abstract plan(documentSchemes: { [name: string]: JsonObject }, label: string): AuthPlan;

  /**
   * The mechanism this auth stands for, as one entry of `Auth.schemes` (for the document scheme `documentSchemeName`).
   * @jsii ignore internal to the pipeline.
   */
  public abstract mechanismScheme(label: string, documentSchemeName?: string): MechanismScheme;

  /**
   * Creates the authorizer (and the OAuth 2.0 server) for one API. Called by SecureApi.
   * @jsii ignore its options carry the OpenAPI pipeline's internal operation model; other languages use the static factories.
   */
  public abstract bind(scope: Construct, id: string, options: AuthBindOptions): BoundAuth;
}

/** SecureApi's JWT authorizer: every JWT scheme of the document, and operations that declare nothing. */
abstract class JwtAuthorizerAuth extends Auth {
  public plan(): AuthPlan {
    return { mechanisms: { authorizerSchemeName: this.schemeName }, jwtAuthorizer: true };
  }

  public mechanismScheme(): MechanismScheme {
    return { mechanism: 'jwt', bodySchemeName: this.schemeName };
  }
}

class IamAuth extends Auth {
  public plan(): AuthPlan {
    return { mechanisms: { schemes: {}, defaultMechanism: this.mechanismScheme() }, jwtAuthorizer: false };
  }

  public mechanismScheme(): MechanismScheme {
    return { mechanism: 'iam', bodySchemeName: IAM_SCHEME_NAME };
  }

  public bind(): BoundAuth {
    // API Gateway itself checks the signature: nothing to create.
    return {};
  }
}

/**
 * A mechanism enforced by an API Gateway authorizer that SecureApi declares in the body but whose
 * decision is not its own (your Lambda function, your Cognito user pool).
 */
abstract class DeclaredAuthorizerAuth extends Auth {
  /** The mechanism. */
  protected abstract readonly mechanism: 'lambda' | 'cognitoUserPool';
  /** The prefix of its body scheme name (the API Gateway authorizer's name). */
  protected abstract readonly schemePrefix: string;

  /** The document schemes it serves as `auth` itself. */
  protected abstract serves(scheme: JsonObject): boolean;

  public plan(documentSchemes: { [name: string]: JsonObject }, label: string): AuthPlan {
    const own = this.mechanismScheme(label);
    const schemes: { [name: string]: MechanismScheme } = {};
    for (const [name, scheme] of Object.entries(documentSchemes)) if (this.serves(scheme)) schemes[name] = own;
    return { mechanisms: { schemes, defaultMechanism: own }, jwtAuthorizer: false };
  }

  public mechanismScheme(_label: string, documentSchemeName?: string): MechanismScheme {
    return {
      mechanism: this.mechanism,
      bodySchemeName: this.schemePrefix + (documentSchemeName === undefined ? 'Authorizer' : pascal(documentSchemeName)),
    };
  }

  public bind(scope: Construct, id: string, options: AuthBindOptions): BoundAuth {
    return this.bindAs(scope, id, this.mechanismScheme(options.label).bodySchemeName!, options);
  }

  /**
   * Declares the authorizer under the body scheme `bodySchemeName`.
   * @jsii ignore internal to the pipeline.
   */
  public abstract bindAs(scope: Construct, id: string, bodySchemeName: string, options: AuthBindOptions): BoundAuth;
}

class LambdaAuth extends DeclaredAuthorizerAuth {
  protected readonly mechanism = 'lambda';
  protected readonly schemePrefix = 'SecureApiLambda';

  constructor(private readonly props: LambdaAuthProps) {
    super();
  }

  protected serves(scheme: JsonObject): boolean {
    return String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'custom';
  }

  public bindAs(scope: Construct, id: string, bodySchemeName: string, options: AuthBindOptions): BoundAuth {
    const where = `SecureApi '${options.label}'`;
    const plan = planLambdaAuthorizer(this.props, new PropCheck(options.label, 'auth'), where);
    if (plan.sharedCacheWarning !== undefined)
      Annotations.of(scope).addWarningV2('cdk-secure-api:lambda-authorizer-cache-shared', plan.sharedCacheWarning);
    return {
      bodyContributions: [{ securitySchemes: { [bodySchemeName]: lambdaAuthorizerScheme(this.props.handler, plan) } }],
      grantInvoke: (api) => grantAuthorizerInvoke(scope, id, this.props.handler, api),
    };
  }
}

class CognitoUserPoolAuth extends DeclaredAuthorizerAuth {
  protected readonly mechanism = 'cognitoUserPool';
  protected readonly schemePrefix = 'SecureApiCognito';

  constructor(
    private readonly userPool: cognito.IUserPool,
    private readonly options: CognitoUserPoolAuthOptions,
  ) {
    super();
  }

  protected serves(scheme: JsonObject): boolean {
    return (
      String(scheme['x-amazon-apigateway-authtype'] ?? '').toLowerCase() === 'cognito_user_pools' ||
      classifySecurityScheme(scheme) === 'jwt'
    );
  }

  public bindAs(scope: Construct, _id: string, bodySchemeName: string, options: AuthBindOptions): BoundAuth {
    const check = new AuthPropsCheck(new PropCheck(options.label, 'auth'));
    const scopes = options.securityDecisions.flatMap((d) => d.security.flatMap((r) => r[bodySchemeName] ?? []));
    check.scopes([...new Set(scopes)], 'scopes of the document');
    const warning = unscopedCognitoWarning(
      unscopedCognitoOperations(options.securityDecisions, bodySchemeName),
      `SecureApi '${options.label}'`,
    );
    if (warning !== undefined) Annotations.of(scope).addWarningV2('cdk-secure-api:cognito-authorizer-unscoped', warning);
    return {
      bodyContributions: [
        { securitySchemes: { [bodySchemeName]: cognitoUserPoolScheme([this.userPool, ...(this.options.additionalUserPools ?? [])]) } },
      ],
    };
  }
}

/** A scheme name of the document as part of a body scheme (an API Gateway authorizer name): letters and digits. */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Scheme';
}

class SchemesAuth extends Auth {
  constructor(
    private readonly schemes: { [schemeName: string]: Auth },
    private readonly options: SchemesAuthOptions,
  ) {
    super();
  }

  public plan(documentSchemes: { [name: string]: JsonObject }, label: string): AuthPlan {
    const check = new PropCheck(label, 'auth');
    const known = Object.keys(documentSchemes).sort();
    const schemes: { [name: string]: MechanismScheme } = {};
    for (const [name, auth] of Object.entries(this.schemes)) {
      if (documentSchemes[name] === undefined) {
        check.fail(
          `schemes.${name}`,
          `names a security scheme the document does not define (components.securitySchemes: ${known.join(', ') || 'none'})`,
        );
      }
      if (auth instanceof SchemesAuth) check.fail(`schemes.${name}`, 'is Auth.schemes(...), which cannot be nested');
      const mapped = this.mechanismSchemes(label).get(auth)!;
      if (classifySecurityScheme(documentSchemes[name]) === 'iam' && mapped.mechanism !== 'iam') {
        check.fail(
          `schemes.${name}`,
          `maps API Gateway's IAM convention (x-amazon-apigateway-authtype: awsSigv4) to ${mapped.mechanism}; that scheme is always IAM: leave it out of the map or change the document`,
        );
      }
      schemes[name] = mapped;
    }
    const jwt = this.jwtAuths();
    if (jwt.length > 1) {
      check.fail(
        'schemes',
        'maps schemes to more than one Auth.jwt / Auth.cognito; SecureApi has one JWT authorizer: map them to one Auth.jwt and trust the other issuers with additionalIssuers (each with its securitySchemes)',
      );
    }
    return { mechanisms: { schemes, defaultMechanism: this.defaultMechanism(schemes, check) }, jwtAuthorizer: jwt.length > 0 };
  }

  public mechanismScheme(label: string): MechanismScheme {
    return new PropCheck(label, 'auth').fail('schemes', 'holds Auth.schemes(...), which cannot be nested');
  }

  public bind(scope: Construct, id: string, options: AuthBindOptions): BoundAuth {
    const jwt = this.jwtAuths()[0];
    // The JWT authorizer sees only the document schemes mapped to it (its issuers' scopes bind to those).
    const jwtSchemes = Object.fromEntries(
      Object.entries(options.securitySchemes ?? {}).filter(([name]) => this.schemes[name] !== undefined && this.schemes[name] === jwt),
    );
    const bound: BoundAuth = jwt?.bind(scope, id, { ...options, securitySchemes: jwtSchemes }) ?? {};
    const declared = [...this.mechanismSchemes(options.label).entries()].filter(
      (entry): entry is [DeclaredAuthorizerAuth, MechanismScheme] => entry[0] instanceof DeclaredAuthorizerAuth,
    );
    const others = declared.map(([auth, mechanism]) =>
      auth.bindAs(scope, `${id}${mechanism.bodySchemeName}`, mechanism.bodySchemeName!, options),
    );
    checkAuthorizerQuota(
      [
        ...authorizerSchemeNames(bound.authorizer?.bodyContribution.securitySchemes ?? {}).map((bodySchemeName) => ({
          bodySchemeName,
          documentSchemes: this.documentSchemesOf(jwt),
        })),
        ...declared.map(([auth, mechanism]) => ({
          bodySchemeName: mechanism.bodySchemeName!,
          documentSchemes: this.documentSchemesOf(auth),
        })),
      ],
      this.options.authorizersPerApi,
      new PropCheck(options.label, 'auth'),
    );
    if (others.length === 0) return bound;
    return {
      ...bound,
      bodyContributions: [...(bound.bodyContributions ?? []), ...others.flatMap((o) => o.bodyContributions ?? [])],
      grantInvoke: (api) => {
        bound.grantInvoke?.(api);
        for (const other of others) other.grantInvoke?.(api);
      },
    };
  }

  /** Each mapped auth's mechanism, named after the first document scheme mapped to it (names made unique). */
  private mechanismSchemes(label: string): Map<Auth, MechanismScheme> {
    const out = new Map<Auth, MechanismScheme>();
    const used = new Set<string>();
    for (const [name, auth] of Object.entries(this.schemes)) {
      if (out.has(auth) || auth instanceof SchemesAuth) continue;
      let scheme = auth.mechanismScheme(label, name);
      if (auth instanceof DeclaredAuthorizerAuth) {
        let unique = scheme.bodySchemeName!;
        for (let i = 2; used.has(unique); i++) unique = `${scheme.bodySchemeName}${i}`;
        used.add(unique);
        scheme = { ...scheme, bodySchemeName: unique };
      }
      out.set(auth, scheme);
    }
    return out;
  }

  /** The document schemes the map sends to `auth`. */
  private documentSchemesOf(auth: Auth | undefined): string[] {
    return Object.keys(this.schemes)
      .filter((name) => this.schemes[name] === auth)
      .sort();
  }

  private jwtAuths(): Auth[] {
    return [...new Set(Object.values(this.schemes))].filter((auth) => auth instanceof JwtAuthorizerAuth);
  }

  private defaultMechanism(schemes: { [name: string]: MechanismScheme }, check: PropCheck): MechanismScheme | undefined {
    const name = this.options.defaultScheme;
    if (name !== undefined) {
      if (schemes[name] === undefined) {
        check.fail('defaultScheme', `names '${name}', which the map does not name (${Object.keys(schemes).sort().join(', ') || 'none'})`);
      }
      return schemes[name];
    }
    const distinct = [...new Map(Object.values(schemes).map((m) => [`${m.mechanism} ${m.bodySchemeName}`, m])).values()];
    return distinct.length === 1 ? distinct[0] : undefined;
  }
}

class JwtAuth extends JwtAuthorizerAuth {
  constructor(private readonly props: JwtAuthProps) {
    super();
  }

  public bind(scope: Construct, id: string, options: AuthBindOptions): BoundAuth {
    const check = new AuthPropsCheck(new PropCheck(options.label, 'auth'));
    const issuers = [
      check.issuer('', this.props),
      ...(this.props.additionalIssuers ?? []).map((issuer, i) => check.issuer(`additionalIssuers[${i}].`, issuer)),
    ];
    rejectDuplicateIssuers(check, issuers);
    const config = { issuers, ...check.settings(this.props, this.props.scopeClaim) };
    const binding = issuerBinding(options, this.props);
    const scopeMap = buildScopeMap(options.operations, options.securityDecisions, this.schemeName, options.extraRoutes, binding);
    check.scopes(scopesOf(scopeMap), 'scopes of the document');
    const resultCacheTtlSeconds = check.resultCacheTtlSeconds(this.props);
    warn(scope, check.warnings);
    const authorizer = createJwtAuthorizer(scope, id, options, this.props, { config, scopeMap, resultCacheTtlSeconds });
    return { authorizer };
  }
}

class CognitoAuth extends JwtAuthorizerAuth {
  constructor(private readonly props: CognitoAuthProps) {
    super();
  }

  public bind(scope: Construct, id: string, options: AuthBindOptions): BoundAuth {
    const check = new AuthPropsCheck(new PropCheck(options.label, 'auth'));
    const scopeMap = buildScopeMap(options.operations, options.securityDecisions, this.schemeName, options.extraRoutes);
    const server = new CognitoOAuthServer(scope, `${id}OAuthServer`, {
      ...this.props,
      label: options.label,
      scopes: scopesOf(scopeMap),
      functionLogGroups: options.functionLogGroups,
    });
    // Cognito access tokens carry client_id and token_use, no aud and no typ; scopes come as <resource server>/<scope>.
    const issuer: AuthorizerIssuer = {
      issuer: server.issuer,
      jwksUri: server.jwksUri,
      clientIds: server.clientIds(),
      tokenUse: 'access',
      scopePrefix: server.scopePrefix,
    };
    const config = { issuers: [issuer], ...check.settings(this.props) };
    const resultCacheTtlSeconds = check.resultCacheTtlSeconds(this.props);
    warn(scope, [...check.warnings, ...server.warnings]);
    const authorizer = createJwtAuthorizer(scope, id, options, this.props, { config, scopeMap, resultCacheTtlSeconds });
    return { authorizer, oauthServer: server, tokenUrl: server.tokenUrl };
  }
}

/**
 * Which document schemes each issuer serves (see {@link JwtIssuer.securitySchemes}). `undefined` when
 * one issuer serves every scheme, the case the handler assumes without a binding.
 */
function issuerBinding(options: AuthBindOptions, props: JwtAuthProps): IssuerBinding | undefined {
  const additional = props.additionalIssuers ?? [];
  if (additional.length === 0 && props.securitySchemes === undefined) return undefined;
  const schemes = options.securitySchemes ?? {};
  const jwtSchemes = Object.keys(schemes)
    .filter((name) => classifySecurityScheme(schemes[name]) === 'jwt')
    .sort();
  const propPaths = ['securitySchemes', ...additional.map((_, i) => `additionalIssuers[${i}].securitySchemes`)];
  const named = [props.securitySchemes, ...additional.map((i) => i.securitySchemes)];
  named.forEach((list, i) => {
    for (const [j, name] of (list ?? []).entries()) {
      const problem =
        schemes[name] === undefined
          ? `names '${name}', which the document's components.securitySchemes does not define`
          : !jwtSchemes.includes(name)
            ? `names '${name}', which is not an OAuth 2.0, OpenID Connect or HTTP bearer scheme`
            : list!.indexOf(name) !== j
              ? `repeats '${name}'`
              : undefined;
      if (problem !== undefined)
        throw new SecureApiConfigError(
          options.label,
          `auth.${propPaths[i]}`,
          `${problem} (JWT schemes of the document: ${jwtSchemes.join(', ') || 'none'})`,
        );
    }
  });
  const claimed = new Set(additional.flatMap((i) => i.securitySchemes ?? []));
  const issuerSchemes = [
    props.securitySchemes ?? jwtSchemes.filter((name) => !claimed.has(name)),
    ...additional.map((i) => i.securitySchemes ?? []),
  ];
  return { label: options.label, securitySchemes: schemes, issuerSchemes, issuerProps: propPaths.map((p) => `auth.${p}`) };
}

function rejectDuplicateIssuers(check: AuthPropsCheck, issuers: AuthorizerIssuer[]): void {
  const seen = new Set<string>();
  for (const { issuer } of issuers) {
    if (seen.has(issuer)) check.fail('additionalIssuers', `repeats the issuer '${issuer}'`);
    seen.add(issuer);
  }
}

function warn(scope: Construct, warnings: Array<{ id: string; message: string }>): void {
  for (const { id, message } of warnings) Annotations.of(scope).addWarningV2(id, message);
}

/** The JWT authorizer both kinds of auth deploy; only its configuration differs. */
function createJwtAuthorizer(
  scope: Construct,
  id: string,
  options: AuthBindOptions,
  sizing: { readonly reservedConcurrency?: number; readonly memorySize?: number; readonly cacheKey?: AuthorizerCacheKey },
  verification: Pick<JwtAuthorizerProps, 'config' | 'scopeMap' | 'resultCacheTtlSeconds'>,
): JwtAuthorizer {
  const cache = planCache(
    options,
    verification.scopeMap,
    verification.resultCacheTtlSeconds,
    sizing.cacheKey ?? AuthorizerCacheKey.TOKEN_WHERE_PROVEN,
  );
  Annotations.of(scope).addInfo(`SecureApi '${options.label}': ${cache.message}`);
  return new JwtAuthorizer(scope, id, {
    label: options.label,
    apiName: options.apiName,
    ...verification,
    scopeMap: cache.scopeMap,
    tokenKeyedOperationIds: cache.tokenKeyedOperationIds,
    anonymousOperationIds: options.securityDecisions.filter((d) => d.access.anonymousAllowed === true).map((d) => d.operationId),
    logGroup: options.logGroup,
    reservedConcurrency: sizing.reservedConcurrency,
    memorySize: sizing.memorySize,
  });
}

/** Largest policy document of the token-keyed authorizer, for the worst-case scope set: API Gateway documents 8 KB as the authorizer result limit (for WebSocket APIs; none for REST). */
export const TOKEN_KEYED_POLICY_BUDGET_BYTES = 8192;

/** `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/` at its longest, for the policy size. */
function arnPrefixBytes(stageName: string | undefined): number {
  const stage = stageName === undefined || Token.isUnresolved(stageName) ? 128 : Buffer.byteLength(stageName);
  return 'arn:'.length + 'aws-us-gov'.length + ':execute-api:'.length + 16 + 1 + 12 + 1 + 10 + 1 + stage + 1;
}

/**
 * Which operations the token-keyed authorizer serves, and the synth info line that says so. The
 * library's own routes (the docs) take part in the proof too. With the cache off, or `PER_OPERATION`, none.
 */
function planCache(
  options: AuthBindOptions,
  scopeMap: AuthorizerRoutes,
  ttl: number,
  cacheKey: AuthorizerCacheKey,
): { readonly scopeMap: AuthorizerRoutes; readonly tokenKeyedOperationIds: string[]; readonly message: string } {
  const byId = new Map(options.operations.map((o) => [o.operationId, o]));
  // Operations with optional authentication have their own authorizer, without cache: never token-keyed.
  const operations = options.securityDecisions
    .filter((d) => d.access.anonymousAllowed !== true && d.security.some((requirement) => JwtAuthorizer.SCHEME_NAME in requirement))
    .map((d) => ({ operationId: d.operationId, key: routeKey(byId.get(d.operationId)!.method, byId.get(d.operationId)!.path) }));
  const total = operations.length;
  // The library's routes (the docs) join when they have an operationId; they are not counted as the document's operations.
  const candidates = [
    ...operations,
    ...(options.extraRoutes ?? [])
      .filter((r) => r.operationId !== undefined)
      .map((r) => ({ operationId: r.operationId!, key: routeKey(r.method, r.path) })),
  ];
  if (ttl === 0)
    return {
      scopeMap,
      tokenKeyedOperationIds: [],
      message: `authorizer cache: off (auth.resultCacheTtl is 0), so every request of the ${total} operations invokes the authorizer`,
    };
  if (cacheKey === AuthorizerCacheKey.PER_OPERATION) {
    return {
      scopeMap,
      tokenKeyedOperationIds: [],
      message: `authorizer cache: per-route for all ${total} operations (auth.cacheKey is PER_OPERATION)`,
    };
  }
  const plan = planAuthorizerCache(
    candidates.map((o) => ({ key: o.key, label: o.operationId, requirement: requirementKey(scopeMap, o.key) })),
    { budgetBytes: TOKEN_KEYED_POLICY_BUDGET_BYTES, arnPrefixBytes: arnPrefixBytes(options.stageName) },
  );
  const tokenKeyed = new Set(plan.tokenKeyed);
  const byReason = new Map<string, string[]>();
  for (const route of plan.perRoute) byReason.set(route.reason, [...(byReason.get(route.reason) ?? []), route.label]);
  const perRoute = [...byReason.entries()].map(
    ([reason, labels]) =>
      `${labels.length > 8 ? `${labels.slice(0, 8).join(', ')} and ${labels.length - 8} more` : labels.join(', ')}: ${reason}`,
  );
  const documentTokenKeyed = operations.filter((o) => tokenKeyed.has(o.key)).length;
  const message =
    `authorizer cache: token-keyed for ${documentTokenKeyed} of ${total} operations` +
    (perRoute.length > 0
      ? `; per-route for ${perRoute.slice(0, 5).join('; ')}${perRoute.length > 5 ? `; and ${perRoute.length - 5} more reasons` : ''}`
      : '') +
    (plan.tokenKeyed.length > 0 ? ` (worst-case policy ${plan.worstCasePolicyBytes} bytes)` : '');
  return {
    scopeMap: plan.tokenKeyed.length > 0 ? { ...scopeMap, tokenKeyed: plan.tokenKeyed } : scopeMap,
    tokenKeyedOperationIds: candidates.filter((o) => tokenKeyed.has(o.key)).map((o) => o.operationId),
    message,
  };
}
