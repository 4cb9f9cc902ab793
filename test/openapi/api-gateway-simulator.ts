import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { JsonObject } from '../../lib/openapi';

/**
 * A stand-in for API Gateway's request body validation, as documented: the model is chosen by the
 * request's Content-Type (an exact media-type key first, then `$default`); with no model the body is
 * not validated at all. The body must parse as JSON and match the draft-4 model (ajv-draft-04).
 */
export class ApiGatewayBodyValidator {
  private readonly ajv = new AjvDraft04({ strict: false, allErrors: false, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly models: JsonObject;

  constructor(private readonly body: JsonObject) {
    this.models = ((body.components as JsonObject | undefined)?.schemas as JsonObject | undefined) ?? {};
  }

  /** The model API Gateway would validate with, or undefined when it skips body validation. */
  modelFor(path: string, method: string, contentType: string): string | undefined {
    const operation = ((this.body.paths as any)[path] ?? {})[method];
    if (operation === undefined) throw new Error(`no operation ${method} ${path}`);
    const content = operation.requestBody?.content ?? {};
    const entry = content[contentType] ?? content.$default;
    const ref: string | undefined = entry?.schema?.$ref;
    return ref?.replace('#/components/schemas/', '');
  }

  /** 'validated' when the body passed its model, 'rejected' when API Gateway answers 400, 'skipped' when no model applies. */
  check(path: string, method: string, contentType: string, rawBody: string): 'validated' | 'rejected' | 'skipped' {
    const model = this.modelFor(path, method, contentType);
    if (model === undefined) return 'skipped';
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return 'rejected';
    }
    return this.validatorFor(model)(parsed) ? 'validated' : 'rejected';
  }

  /** The draft-4 validator of one model, with references to the other models resolved. */
  validatorFor(model: string): ValidateFunction {
    let validate = this.compiled.get(model);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `#/components/schemas/${model}`, components: { schemas: this.models } });
      this.compiled.set(model, validate);
    }
    return validate;
  }
}
