export * from '../model';
export * from './security';
export { OpenApi } from './open-api';
export { analyzeDocument, isJsonMediaType } from './analyze';
export {
  emitApiGatewayBody,
  type EmitOptions,
  requestValidatorName,
  VALIDATOR_BODY_AND_PARAMS,
  VALIDATOR_PARAMS_ONLY,
  DEFAULT_MEDIA_TYPE,
} from './emit';
export { withDerivedOperationIds } from './operations';
export { type BodyContribution, foldContributions } from './body-contribution';
export { type CorsOptions, corsStaticResponseGap, corsStaticResponseHeaders, validateCors } from './cors-preflight';
