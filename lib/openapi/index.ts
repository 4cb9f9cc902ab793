export * from '../model';
export * from './security';
export { OpenApi } from './open-api';
export { analyzeDocument, isJsonMediaType } from './analyze';
export { emitApiGatewayBody, validatorFor, VALIDATOR_BODY_AND_PARAMS, VALIDATOR_PARAMS_ONLY, DEFAULT_MEDIA_TYPE } from './emit';
