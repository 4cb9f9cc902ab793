import { ApiModel, methodSettings, stageWideSettings } from './api-model';
import { isObject, propsOf } from './template';
import { AttackSurface, OperationRef, WeakenedDefault } from './types';
import { bodyInspectionLimit, bodySizeRule } from './waf-facts';
import { optOuts, validationGapWarnings } from './warnings';

const ref = (op: { operationId: string; method: string; path: string }, detail: string): OperationRef => ({
  operationId: op.operationId,
  method: op.method,
  path: op.path,
  detail,
});

/** A secure default the template no longer shows, and the prop whose opt-out would explain it. */
interface TemplateDeviation {
  readonly prop: string;
  readonly resource: string;
  readonly detail: string;
}

/** Defaults SecureApi always synthesizes, checked on the final template (so escape hatches show up). */
export function templateDeviations(model: ApiModel): TemplateDeviation[] {
  const out: TemplateDeviation[] = [];
  const stageId = model.stage?.[0];
  if (model.restApi === undefined)
    return [{ prop: '(template override)', resource: '-', detail: 'the REST API resource is not in the template' }];
  const api = propsOf(model.restApi[1]);
  if (api.FailOnWarnings !== true)
    out.push({
      prop: '(template override)',
      resource: model.restApi[0],
      detail: `FailOnWarnings is ${JSON.stringify(api.FailOnWarnings ?? null)}: API Gateway import warnings no longer fail the deployment`,
    });
  if (stageId === undefined)
    return [...out, { prop: '(template override)', resource: model.restApi[0], detail: 'the stage is not in the template' }];
  const stage = propsOf(model.stage![1]);
  if (model.webAclAssociations.length === 0)
    out.push({ prop: 'waf.enabled', resource: stageId, detail: 'no web ACL is associated with the stage' });
  for (const s of methodSettings(model.stage![1]).filter((m) => m.DataTraceEnabled === true))
    out.push({
      prop: 'stage.dataTrace',
      resource: stageId,
      detail: `DataTraceEnabled is true on ${s.ResourcePath} ${s.HttpMethod}: payloads, tokens included, go to the execution log`,
    });
  const wide = stageWideSettings(model.stage![1]);
  if (wide?.LoggingLevel !== 'ERROR' && wide?.LoggingLevel !== 'INFO')
    out.push({
      prop: 'stage.executionLogLevel',
      resource: stageId,
      detail: `execution logging is ${JSON.stringify(wide?.LoggingLevel ?? null)}`,
    });
  if (typeof wide?.ThrottlingRateLimit !== 'number')
    out.push({ prop: '(template override)', resource: stageId, detail: 'the stage-wide throttle is gone' });
  if (stage.TracingEnabled !== true) out.push({ prop: 'stage.tracing', resource: stageId, detail: 'X-Ray tracing is off' });
  if (stage.ClientCertificateId === undefined)
    out.push({ prop: 'stage.clientCertificate', resource: stageId, detail: 'no client certificate is presented to backends' });
  if (!isObject(stage.AccessLogSetting)) out.push({ prop: '(template override)', resource: stageId, detail: 'access logging is off' });
  const sizeRule = model.webAcl === undefined ? undefined : bodySizeRule(model);
  if (model.webAcl !== undefined && (sizeRule === undefined || sizeRule.size > bodyInspectionLimit(model))) {
    out.push({
      prop: 'waf.maxBodySize',
      resource: model.webAcl[0],
      detail: `no rule blocks bodies above the ${bodyInspectionLimit(model)}-byte inspection limit`,
    });
  }
  if (model.webAcl !== undefined && model.wafLogging === undefined)
    out.push({ prop: 'waf.logging.enabled', resource: model.webAcl[0], detail: 'the web ACL has no logging configuration' });
  for (const op of model.operations.filter((o) => o.validator === undefined || !o.validator.params)) {
    out.push({
      prop: '(template override)',
      resource: model.restApi[0],
      detail: `${op.operationId} (${op.method} ${op.path}) has no request validator`,
    });
  }
  return out;
}

/** The weakened defaults: each prop opt-out the warnings name, then each template deviation no opt-out explains. */
export function weakenedDefaults(model: ApiModel): WeakenedDefault[] {
  const fromProps = optOuts(model.input.warnings);
  const out: Array<{ prop: string; resource?: string; detail: string }> = fromProps.map((o) => ({ prop: o.prop, detail: o.message }));
  for (const deviation of templateDeviations(model)) {
    const explained = out.find(
      (w) => w.prop !== '(template override)' && (w.prop === deviation.prop || w.prop.startsWith(`${deviation.prop}.`)),
    );
    if (explained !== undefined) {
      explained.resource ??= deviation.resource;
      continue;
    }
    out.push({
      prop: '(template override)',
      resource: deviation.resource,
      detail: `${deviation.detail} (set outside SecureApi's props: an escape hatch or override; SecureApi's default is ${deviation.prop === '(template override)' ? 'on' : `governed by ${deviation.prop}`})`,
    });
  }
  return out.map((w) =>
    w.resource === undefined ? { prop: w.prop, detail: w.detail } : { prop: w.prop, resource: w.resource, detail: w.detail },
  );
}

/** Who can call what, what is not validated or inspected, and what was turned off. */
export function attackSurface(model: ApiModel): AttackSurface {
  const ops = model.operations;
  const publicOperations = ops.filter((o) => o.security.length === 0).map((o) => ref(o, 'no authorizer and no API key'));
  const authWithoutScopes = ops
    .filter((o) => o.authorizer && (o.scopes === undefined || o.scopes.every((alternative) => alternative.length === 0)))
    .map((o) => ref(o, o.scopes === undefined ? 'the authorizer scope map could not be read' : 'any valid token may call it'));
  const apiKeyOnly = ops
    .filter((o) => o.apiKey && o.mechanism === 'none')
    .map((o) => ref(o, 'an API key alone (keys identify clients; they do not authenticate)'));
  const byId = new Map(ops.map((o) => [o.operationId, o]));
  const validationGaps: OperationRef[] = [];
  for (const gap of validationGapWarnings(model.input.warnings)) {
    const op = byId.get(gap.operationId);
    validationGaps.push(
      ref(op ?? { operationId: gap.operationId, method: '-', path: '-' }, gap.message.replace(/^operation '[^']+'( \([^)]*\))?: /, '')),
    );
  }
  for (const op of ops.filter((o) => o.bodyMediaTypes.length > 0 && o.validator?.body !== true))
    validationGaps.push(ref(op, 'the request body is not validated (no body validator in the template)'));

  const bodiesBeyondWafInspection: OperationRef[] = [];
  const withBody = ops.filter((o) => o.bodyMediaTypes.length > 0);
  if (model.webAclAssociations.length === 0) {
    for (const op of withBody) bodiesBeyondWafInspection.push(ref(op, 'no web ACL inspects the body'));
  } else if (model.externalWebAcl !== undefined) {
    for (const op of withBody)
      bodiesBeyondWafInspection.push(
        ref(op, `the web ACL ${model.externalWebAcl} is outside this template: its body inspection is not judged here`),
      );
  } else if (model.webAcl !== undefined) {
    const limit = bodyInspectionLimit(model);
    const rule = bodySizeRule(model);
    if (rule === undefined || rule.size > limit) {
      const detail = `WAF inspects the first ${limit} bytes; ${rule === undefined ? 'no rule blocks larger bodies' : `${rule.name} blocks only above ${rule.size} bytes`}`;
      for (const op of withBody) bodiesBeyondWafInspection.push(ref(op, detail));
    } else if (rule.scoped) {
      for (const op of withBody)
        bodiesBeyondWafInspection.push(
          ref(op, `${rule.name} is scoped down; operations it exempts take bodies above ${limit} bytes uninspected`),
        );
    }
  }
  return {
    publicOperations,
    authWithoutScopes,
    apiKeyOnly,
    validationGaps,
    bodiesBeyondWafInspection,
    awsServiceIntegrations: ops
      .filter((o) => o.awsService !== undefined)
      .map((o) => ref(o, `${o.awsService}, through a credentials role of its own (no Lambda function in between)`)),
    weakenedDefaults: weakenedDefaults(model),
  };
}
