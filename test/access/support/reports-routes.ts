import { InvokeRoute } from '../../../lib/access/invoke-routes';

/** A reports API with every mechanism: the routes as `invokeRoutesOf` reads them from a body. */
export const REPORTS_ROUTES: InvokeRoute[] = [
  { key: 'GET /catalog', operationId: 'getCatalog', mechanism: 'none' }, // an API key only
  { key: 'GET /files/{name}', operationId: 'getFile', mechanism: 'none' }, // public, its pattern reaches the next route
  { key: 'GET /files/{name}/owner', operationId: 'getFileOwner', mechanism: 'iam' },
  { key: 'GET /health', operationId: 'getHealth', mechanism: 'none' }, // public
  { key: 'GET /profile', operationId: 'getProfile', mechanism: 'cognitoUserPools' },
  { key: 'GET /reports', operationId: 'listReports', mechanism: 'lambdaAuthorizer' }, // the JWT authorizer
  { key: 'OPTIONS /reports', mechanism: 'none' }, // a CORS preflight
  { key: 'POST /reports', operationId: 'createReport', mechanism: 'iam' },
  { key: 'DELETE /reports/{id}', operationId: 'deleteReport', mechanism: 'iam' },
  { key: 'GET /reports/{id}', operationId: 'getReport', mechanism: 'iam' },
  { key: 'GET /reports/{id}/audit', operationId: 'getReportAudit', mechanism: 'iam' },
];
