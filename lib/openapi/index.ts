export * from './types';
export * from './security';
export { OpenApi } from './open-api';
export { analyzeDocument, isJsonMediaType } from './analyze';
export { emitApiGatewayBody, requestValidatorName, VALIDATOR_BODY_AND_PARAMS, VALIDATOR_PARAMS_ONLY, DEFAULT_MEDIA_TYPE } from './emit';
