import { Annotations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { acknowledgeFindings, ruleInPacks } from '../common';
import { ApiOperation } from '../model';
import { BodyContribution } from '../openapi';
import { cacheBodyContribution } from './response-cache';
import { hardenStage, SecureStageOptions, StageHardening } from './stage-hardening';

/** Props of {@link secureStage}. */
export interface SecureStageProps {
  /** The SecureApi's construct path, for messages. */
  readonly label: string;
  readonly options?: SecureStageOptions;
  readonly operations: ApiOperation[];
  readonly accessLogDestination: apigw.IAccessLogDestination;
  readonly accessLogFormat: apigw.AccessLogFormat;
  /** The headers that carry each operation's credentials, so cached responses are keyed on the caller. */
  readonly callerHeaders?: { readonly [operationId: string]: ReadonlyArray<string> };
}

/** The stage's options and what the stage adds to the body (the response cache's keys). */
export interface SecureStage extends StageHardening {
  readonly bodyContribution?: BodyContribution;
}

/**
 * The stage's options, with what they need made in `scope`: the client certificate the stage presents
 * to its HTTP backends (unless turned off), and a warning for each protection the user turned off.
 */
export function secureStage(scope: Construct, props: SecureStageProps): SecureStage {
  const options = props.options ?? {};
  const clientCertificate =
    options.clientCertificate === false
      ? undefined
      : new apigw.CfnClientCertificate(scope, 'BackendClientCertificate', {
          description: `Presented by ${props.label} to its HTTP backends`,
        });
  const stage = hardenStage({
    apiName: props.label,
    options,
    operations: props.operations,
    accessLogDestination: props.accessLogDestination,
    accessLogFormat: props.accessLogFormat,
    clientCertificateId: clientCertificate?.attrClientCertificateId,
    callerHeaders: props.callerHeaders,
  });
  for (const message of stage.weakened)
    Annotations.of(scope).addWarningV2('cdk-secure-api:weakened', `SecureApi '${props.label}': ${message}`);
  if (stage.cachePlan === undefined) return stage;
  Annotations.of(scope).addInfo(`SecureApi '${props.label}': ${stage.cachePlan.summary}`);
  return { ...stage, bodyContribution: cacheBodyContribution(stage.cachePlan) };
}

/** The cdk-nag findings the API and its stage answer by design, acknowledged where they are made. */
export function acknowledgeStageFindings(api: apigw.IRestApi, stage: apigw.Stage, options: SecureStageOptions = {}): void {
  acknowledgeFindings(
    api,
    ['AwsSolutions-APIG2'],
    'Request validators are declared inside the imported OpenAPI body (x-amazon-apigateway-request-validators, one on every operation), which cdk-nag cannot see (cdklabs/cdk-nag#1075); SecureApi tests assert every operation has one.',
  );
  acknowledgeFindings(
    stage,
    ruleInPacks('APIGWCacheEnabledAndEncrypted', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']),
    options.cache === undefined
      ? "Response caching is off by default because a shared cache can serve one caller's authorized response to another; when it is turned on (stage.cache), SecureApi always encrypts it."
      : "The rule reads only the stage-wide entry, which never caches (an unkeyed shared entry would serve one caller's response to another); caching is on per operation, encrypted, keyed on the caller's credential and every declared parameter.",
  );
}
