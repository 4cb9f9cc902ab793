export * from './api-docs';
export { DocsPublishing, type DocsPublishingOptions } from './docs-publishing';
export type { DeployedSecurity, DocsApiKey, DocsOAuth2, DocsOperationAccess } from './deployed-security';
export { ALWAYS_DENIED_EXTENSIONS, DEFAULT_PUBLISHED_EXTENSIONS, sanitizeDocument } from './sanitize';
export type { SanitizeOptions, SanitizeResult } from './sanitize';
export { DOCUMENTATION_PLACEHOLDERS, findSensitiveValues, formatFindings } from './sensitive-values';
export type { SensitiveValueFinding, SensitiveValueOptions } from './sensitive-values';
