import { ApiOperation } from '../../lib/model';

/**
 * An operation as `analyzeDocument` gives it, for tests of the units that take analyzed operations: served at
 * the path its document writes, with no parameters, extensions or tags unless `more` gives them.
 */
export function apiOperation(
  operationId: string,
  method: ApiOperation['method'],
  path: string,
  more: Partial<ApiOperation> = {},
): ApiOperation {
  return { operationId, method, path, sourcePath: path, parameters: [], extensions: {}, tags: [], ...more };
}
