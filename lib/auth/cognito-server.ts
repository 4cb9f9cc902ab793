import { createHash } from 'node:crypto';
import { Aws, Duration, Fn, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GROUP_SCOPES_ENV, GroupScopesConfig } from '../../contracts/cognito-scopes';
import { acknowledgeFindings, HandlerFunction } from '../common';
import { PropCheck, SecureApiConfigError } from '../model/config-error';

/** The app client for people: authorization code flow with PKCE, from a browser or a native app. */
export interface CognitoUserClientOptions {
  /** Where Cognito may send the authorization code: https URLs (http only for localhost). */
  readonly callbackUrls: string[];
  /**
   * Where Cognito may send users after sign-out.
   * @default - none
   */
  readonly logoutUrls?: string[];
}

/**
 * One machine consumer of the API: an app client of its own (client_credentials grant, secret generated
 * by Cognito) that may get only the scopes listed here. Cognito grants a client any of its allowed
 * scopes, and all of them when the token request names none, so one client per consumer is what keeps
 * one consumer's token from passing another consumer's operations.
 */
export interface CognitoMachineClientOptions {
  /**
   * The consumer's name: the app client's name and construct id. 1 to 64 letters, digits, '.', '_' or '-'.
   */
  readonly clientName: string;
  /** The scopes this consumer may get, as the document names them (without the resource server prefix). At least one. */
  readonly scopes: string[];
}

/**
 * A Cognito group of people and the API scopes its members' access tokens may carry. A pre-token-generation
 * trigger removes every other API scope from a user's access token, whatever the user asked for.
 */
export interface CognitoUserGroupOptions {
  /** The group's name in the user pool. 1 to 128 letters, digits, '.', '_', '-' or '@'. */
  readonly groupName: string;
  /** The scopes members get, as the document names them (without the resource server prefix). */
  readonly scopes: string[];
  /**
   * The group's description.
   * @default - one naming the scopes
   */
  readonly description?: string;
}

/** Props of `Auth.cognito` (besides the authorizer tuning): the user pool that is the API's OAuth 2.0 server. */
export interface CognitoServerOptions {
  /**
   * The user pool's name.
   * @default - a name derived from the construct path
   */
  readonly userPoolName?: string;
  /**
   * The prefix of the Cognito domain that serves the token endpoint (`https://<prefix>.auth.<region>.amazoncognito.com`).
   * Lower-case letters, digits and hyphens; it must be unique in the region.
   * @default - `secureapi-` followed by a hash of the construct path and the account id
   */
  readonly domainPrefix?: string;
  /**
   * The resource server identifier: Cognito writes scopes as `<identifier>/<scope>`.
   * @default 'api'
   */
  readonly resourceServerIdentifier?: string;
  /**
   * Scopes to define besides those the OpenAPI document (and the docs route) name.
   * @default - only the document's scopes
   */
  readonly additionalScopes?: string[];
  /**
   * Whether users must use a second factor (TOTP). `Mfa.OFF` is refused.
   * @default cognito.Mfa.REQUIRED
   */
  readonly mfa?: cognito.Mfa;
  /**
   * Cognito threat protection (the Plus feature plan) in full-function mode: compromised-credential
   * and adaptive-authentication checks. It has a per-user price; turning it off leaves a synth warning.
   * @default true
   */
  readonly threatProtection?: boolean;
  /**
   * One app client per machine consumer (client_credentials grant), each allowed only its own scopes.
   * @default - no machine client
   */
  readonly machineClients?: CognitoMachineClientOptions[];
  /**
   * Create a public app client for people (authorization code with PKCE; never the implicit grant).
   * People's access tokens carry only the scopes of their `userGroups`.
   * @default - no client for people
   */
  readonly userClient?: CognitoUserClientOptions;
  /**
   * The groups of people and the scopes each grants, enforced by a pre-token-generation trigger (V2_0
   * event) on the user pool. A user in no group gets no API scope.
   * @default - no group: people's access tokens carry no API scope
   */
  readonly userGroups?: CognitoUserGroupOptions[];
  /**
   * Lifetime of access tokens (5 minutes to 1 day).
   * @default Duration.hours(1)
   */
  readonly accessTokenValidity?: Duration;
  /**
   * What happens to the user pool when it leaves the stack. Deletion protection is always on.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Props of {@link CognitoOAuthServer}. */
export interface CognitoOAuthServerProps extends CognitoServerOptions {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  /** The scopes the resource server defines (the document's, sorted). */
  readonly scopes: string[];
  /**
   * Creates the pre-token-generation trigger's log group (the root passes its `ApiLogs`).
   * @default - required when `userClient` is set
   */
  readonly functionLogGroups?: IFunctionLogGroupFactory;
}

/** Something that creates a function's own log group, as `ApiLogs` does. */
export interface IFunctionLogGroupFactory {
  /** A new log group for the function `name`, created in `scope`. */
  functionLogGroup(scope: Construct, name: string): logs.ILogGroup;
}

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const GROUP_NAME = /^[A-Za-z0-9._@-]{1,128}$/;

/** Cognito scope names: printable ASCII without `"`, `/` or `\`. */
const COGNITO_SCOPE = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/;

/**
 * A Cognito user pool as the API's OAuth 2.0 server: a resource server whose scopes are the API's,
 * a machine client (client_credentials), optionally a client for people (code + PKCE), a hosted
 * domain for the token endpoint, and secure settings: strong passwords, MFA, threat protection,
 * deletion protection, no self sign-up and no implicit grant.
 */
export class CognitoOAuthServer extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly resourceServer: cognito.UserPoolResourceServer;
  public readonly domain: cognito.UserPoolDomain;
  /** The machine-to-machine clients, by consumer (`clientName`). */
  public readonly machineClients: { [clientName: string]: cognito.UserPoolClient } = {};
  /** The pre-token-generation trigger that trims people's scopes to their groups, when `userClient` is set. */
  public readonly scopeTrigger?: lambda.Function;
  /** The client for people, when `userClient` is set. */
  public readonly userClient?: cognito.UserPoolClient;
  /** The issuer of the pool's tokens (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  public readonly issuer: string;
  /** The pool's JWKS. */
  public readonly jwksUri: string;
  /** The OAuth 2.0 token endpoint. */
  public readonly tokenUrl: string;
  /** The authorization endpoint (for the code flow). */
  public readonly authorizationUrl: string;
  /** The resource server identifier and slash: the prefix of the scopes in the pool's tokens. */
  public readonly scopePrefix: string;
  /**
   * Synth warnings: the protections turned off. `Auth.cognito` turns them into annotations.
   * @jsii ignore an internal channel to Auth; the warnings reach every language as CDK annotations.
   */
  public readonly warnings: Array<{ readonly id: string; readonly message: string }> = [];

  constructor(scope: Construct, id: string, props: CognitoOAuthServerProps) {
    super(scope, id);
    const where = `SecureApi '${props.label}'`;
    const check = new PropCheck(props.label, 'auth');
    const identifier = props.resourceServerIdentifier ?? 'api';
    if (!/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(identifier))
      check.fail('resourceServerIdentifier', `must be 1 to 256 printable characters without " or \\, got '${identifier}'`);
    const scopes = [...new Set([...props.scopes, ...(props.additionalScopes ?? [])])].sort();
    for (const s of scopes) {
      if (!COGNITO_SCOPE.test(s) || s.length > 256)
        check.fail(
          '',
          `cannot define the Cognito scope '${s}' (printable ASCII without ", / or \\, at most 256 characters); rename it in the document or use Auth.jwt with another provider`,
        );
    }
    if (scopes.length > 100)
      check.fail('', `cannot define more than 100 Cognito scopes per resource server, the API names ${scopes.length}`);
    const machineClients = props.machineClients ?? [];
    const userGroups = props.userGroups ?? [];
    checkGrants(check, scopes, machineClients, userGroups);
    if (machineClients.length === 0 && props.userClient === undefined) {
      throw new SecureApiConfigError(props.label, 'auth', 'declares no machineClients and no userClient, so no client could get a token');
    }
    if (userGroups.length > 0 && props.userClient === undefined)
      check.fail('userGroups', 'grant scopes to people, but no userClient is set for people to sign in with');
    const mfa = props.mfa ?? cognito.Mfa.REQUIRED;
    if (mfa === cognito.Mfa.OFF) check.fail('mfa', `cannot be Mfa.OFF; use Mfa.OPTIONAL to let users choose`);
    if (mfa === cognito.Mfa.OPTIONAL)
      this.warnings.push({
        id: 'cdk-secure-api:auth-mfa-optional',
        message: `${where}: auth.mfa is OPTIONAL, so users may sign in with a password alone`,
      });
    const threatProtection = props.threatProtection ?? true;
    if (!threatProtection)
      this.warnings.push({
        id: 'cdk-secure-api:auth-threat-protection-off',
        message: `${where}: auth.threatProtection is off, so Cognito does not block compromised credentials or risky sign-ins`,
      });
    const validity = props.accessTokenValidity ?? Duration.hours(1);
    if (validity.toSeconds() < 300 || validity.toSeconds() > 86400)
      check.fail('accessTokenValidity', `must be between 5 minutes and 1 day, got ${validity.toSeconds()} s`);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 24,
      },
      mfa,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      standardThreatProtectionMode: threatProtection ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (!threatProtection) {
      acknowledgeFindings(
        this.userPool,
        ['AwsSolutions-COG8'],
        'Threat protection (the Plus feature plan) was turned off explicitly with auth.threatProtection: false, and synth warns about it.',
      );
    }

    this.scopePrefix = `${identifier}/`;
    const serverScopes = scopes.map(
      (scopeName) => new cognito.ResourceServerScope({ scopeName, scopeDescription: `API scope ${scopeName}`.slice(0, 256) }),
    );
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier,
      userPoolResourceServerName: resourceServerName(identifier),
      scopes: serverScopes,
    });
    const oauthScopes = serverScopes.map((s) => cognito.OAuthScope.resourceServer(this.resourceServer, s));

    const domainPrefix =
      props.domainPrefix ??
      Fn.join('-', ['secureapi', createHash('sha256').update(Names.uniqueId(this)).digest('hex').slice(0, 10), Aws.ACCOUNT_ID]);
    if (
      props.domainPrefix !== undefined &&
      (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(props.domainPrefix) || /aws|amazon|cognito/.test(props.domainPrefix))
    ) {
      check.fail(
        'domainPrefix',
        `must be 1 to 63 lower-case letters, digits and inner hyphens, without 'aws', 'amazon' or 'cognito', got '${props.domainPrefix}'`,
      );
    }
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.tokenUrl = `${this.domain.baseUrl()}/oauth2/token`;
    this.authorizationUrl = `${this.domain.baseUrl()}/oauth2/authorize`;

    const common = {
      authFlows: { userSrp: false },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: validity,
    };
    const oauthScope = (name: string) => oauthScopes[scopes.indexOf(name)];
    for (const client of machineClients) {
      this.machineClients[client.clientName] = this.userPool.addClient(`MachineClient-${client.clientName}`, {
        ...common,
        userPoolClientName: client.clientName,
        // Cognito generates the secret: it is never in the template.
        generateSecret: true,
        // Only this consumer's scopes: Cognito grants a client any of its allowed scopes (all of them when none is asked for).
        oAuth: { flows: { clientCredentials: true }, scopes: [...new Set(client.scopes)].sort().map(oauthScope) },
      });
    }
    if (props.userClient !== undefined) {
      for (const [i, url] of [...props.userClient.callbackUrls, ...(props.userClient.logoutUrls ?? [])].entries()) {
        if (!/^https:\/\/[^\s]+$/.test(url) && !/^http:\/\/localhost(:\d+)?(\/[^\s]*)?$/.test(url)) {
          check.fail('userClient', `URL #${i + 1} must be https:// (http:// only for localhost), got '${url}'`);
        }
      }
      if (props.userClient.callbackUrls.length === 0) check.fail('userClient.callbackUrls', `must name at least one URL`);
      this.userClient = this.userPool.addClient('UserClient', {
        ...common,
        // A public client: browsers and apps cannot keep a secret, so the code flow relies on PKCE.
        generateSecret: false,
        oAuth: {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
          // Cognito can grant only what the client allows; the trigger then trims each user's token to the user's groups.
          scopes: [cognito.OAuthScope.OPENID, ...[...new Set(userGroups.flatMap((g) => g.scopes))].sort().map(oauthScope)],
          callbackUrls: props.userClient.callbackUrls,
          logoutUrls: props.userClient.logoutUrls,
        },
        idTokenValidity: validity,
        refreshTokenValidity: Duration.days(1),
      });
    }
    for (const group of userGroups) {
      this.userPool.addGroup(`Group-${group.groupName}`, {
        groupName: group.groupName,
        description: group.description ?? `Grants the API scopes ${[...group.scopes].sort().join(', ')} (cdk-secure-api)`.slice(0, 2048),
      });
    }
    if (props.userClient !== undefined) {
      // Invariant (a bug, not configuration): SecureApi always passes its log groups to the binding.
      if (props.functionLogGroups === undefined)
        throw new Error(`${where}: internal: Auth.cognito with a userClient needs functionLogGroups for its trigger`);
      this.scopeTrigger = this.createScopeTrigger(identifier, userGroups, props.functionLogGroups);
    }
    this.issuer = this.userPool.userPoolProviderUrl;
    this.jwksUri = `${this.userPool.userPoolProviderUrl}/.well-known/jwks.json`;
  }

  /** The ids of the app clients whose access tokens the authorizer accepts. */
  public clientIds(): string[] {
    return [...Object.values(this.machineClients), this.userClient]
      .filter((c): c is cognito.UserPoolClient => c !== undefined)
      .map((c) => c.userPoolClientId);
  }

  /**
   * The pre-token-generation trigger (V2_0 event: access-token customization for user sign-ins, on the
   * Essentials and Plus feature plans) that removes from each user's access token every API scope the
   * user's groups do not grant. Amazon Cognito developer guide, "Pre token generation Lambda trigger".
   */
  private createScopeTrigger(identifier: string, groups: CognitoUserGroupOptions[], logGroups: IFunctionLogGroupFactory): lambda.Function {
    const scopesByGroup: { [group: string]: string[] } = {};
    for (const group of groups) scopesByGroup[group.groupName] = [...new Set(group.scopes)].sort().map((s) => `${identifier}/${s}`);
    const config: GroupScopesConfig = { scopesByGroup };
    const fn = new HandlerFunction(this, 'ScopeTrigger', {
      handlerName: 'cognito-scopes',
      purpose: "trims people's access-token scopes to their Cognito groups (pre token generation)",
      logGroup: logGroups.functionLogGroup(this, 'cognito-scopes'),
      environment: { [GROUP_SCOPES_ENV]: JSON.stringify(config) },
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn, cognito.LambdaVersion.V2_0);
    return fn;
  }
}

/**
 * The resource server's Name, derived from its identifier. CloudFormation's schema for
 * AWS::Cognito::UserPoolResourceServer allows a Name of 1 to 256 characters matching `[\w\s+=,.@-]+`,
 * while the identifier is often a URL (`https://orders.example.com`), which the L2 would use as the Name
 * unchanged and CloudFormation would reject. The scheme is dropped and every other character the pattern
 * does not allow becomes `-`: `orders.example.com`.
 */
export function resourceServerName(identifier: string): string {
  const name = identifier
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
    .replace(/[^\w\s+=,.@-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 256);
  return name === '' ? 'api' : name;
}

/** Every machine client and group names only scopes the resource server defines, and at least one for a client. */
function checkGrants(check: PropCheck, scopes: string[], clients: CognitoMachineClientOptions[], groups: CognitoUserGroupOptions[]): void {
  const defined = new Set(scopes);
  const unknown = (path: string, granted: string[]) => {
    for (const scope of granted) {
      if (!defined.has(scope))
        check.fail(
          path,
          `names the scope '${scope}', which the resource server does not define (defined: ${scopes.join(', ') || 'none'}); name it in the document or in auth.additionalScopes`,
        );
    }
  };
  const names = new Set<string>();
  clients.forEach((client, i) => {
    check.that(
      CLIENT_NAME.test(client.clientName),
      `machineClients[${i}].clientName`,
      `must be 1 to 64 letters, digits, '.', '_' or '-', got '${client.clientName}'`,
    );
    check.that(!names.has(client.clientName), `machineClients[${i}].clientName`, `'${client.clientName}' is declared twice`);
    names.add(client.clientName);
    check.that(
      client.scopes.length > 0,
      `machineClients[${i}].scopes`,
      'must name at least one scope: a client_credentials client without scopes could call nothing',
    );
    unknown(`machineClients[${i}].scopes`, client.scopes);
  });
  const groupNames = new Set<string>();
  groups.forEach((group, i) => {
    check.that(
      GROUP_NAME.test(group.groupName),
      `userGroups[${i}].groupName`,
      `must be 1 to 128 letters, digits, '.', '_', '-' or '@', got '${group.groupName}'`,
    );
    check.that(!groupNames.has(group.groupName), `userGroups[${i}].groupName`, `'${group.groupName}' is declared twice`);
    groupNames.add(group.groupName);
    unknown(`userGroups[${i}].scopes`, group.scopes);
  });
}
