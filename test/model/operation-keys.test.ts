import {
  baseOperationId,
  deriveOperationIds,
  keyByOperationId,
  PropCheck,
  resolveOperationKey,
  resolveOperationKeyIds,
  resolveOperationKeys,
} from '../../lib/model';

const OPERATIONS = [
  { operationId: 'getPetsPetId', method: 'get', sourcePath: '/pets/{petId}' },
  { operationId: 'createPet', method: 'post', sourcePath: '/pets' },
];

describe('baseOperationId', () => {
  it.each([
    ['get', '/pets/{petId}', 'getPetsPetId'],
    ['post', '/v1/{name}:cancel', 'postV1NameCancel'],
    ['get', '/v{version}/areas', 'getVVersionAreas'],
    ['get', '/repos/{owner}/{repo}/pulls/{index}.{diffType}', 'getReposOwnerRepoPullsIndexDiffType'],
    ['delete', '/user-groups/{group_id}/', 'deleteUserGroupsGroupId'],
    ['get', '/', 'getRoot'],
    ['get', '/über/{ïd}', 'getBerD'],
  ])('%s %s is %s', (method, path, id) => {
    expect(baseOperationId(method, path)).toBe(id);
  });
});

describe('deriveOperationIds', () => {
  it('uses the base when only one route derives it and the document does not write it', () => {
    expect(
      deriveOperationIds(
        [
          { method: 'get', sourcePath: '/pets/{petId}' },
          { method: 'get', sourcePath: '/pets' },
        ],
        new Set(),
      ),
    ).toEqual(['getPetsPetId', 'getPets']);
  });

  it('gives every route of a colliding base a suffix from its own route key', () => {
    const ids = deriveOperationIds(
      [
        { method: 'get', sourcePath: '/pets/{petId}' },
        { method: 'get', sourcePath: '/pets/petId' },
      ],
      new Set(),
    );
    expect(ids).toEqual(['getPetsPetId_9f76bf03', 'getPetsPetId_6562ee67']);
    expect(new Set(ids).size).toBe(2);
  });

  it('never takes an operationId the document writes', () => {
    expect(deriveOperationIds([{ method: 'get', sourcePath: '/pets' }], new Set(['getPets']))).toEqual(['getPets_b0bd07bf']);
  });

  it('is stable when other operations are added', () => {
    const before = deriveOperationIds(
      [
        { method: 'get', sourcePath: '/a/{id}' },
        { method: 'get', sourcePath: '/x' },
        { method: 'get', sourcePath: '/x.y' },
      ],
      new Set(),
    );
    const after = deriveOperationIds(
      [
        { method: 'put', sourcePath: '/b' },
        { method: 'get', sourcePath: '/a/{id}' },
        { method: 'get', sourcePath: '/x' },
        { method: 'post', sourcePath: '/a/{id}' },
        { method: 'get', sourcePath: '/x.y' },
      ],
      new Set(['other']),
    );
    expect([after[1], after[2], after[4]]).toEqual(before);
  });
});

describe('resolveOperationKey', () => {
  it('takes an operationId or a route key (method in any case, path as written)', () => {
    expect(resolveOperationKey('createPet', OPERATIONS)).toBe('createPet');
    expect(resolveOperationKey('POST /pets', OPERATIONS)).toBe('createPet');
    expect(resolveOperationKey('get  /pets/{petId}', OPERATIONS)).toBe('getPetsPetId');
    expect(resolveOperationKey('GET /pets/{id}', OPERATIONS)).toBeUndefined();
    expect(resolveOperationKey('GET /pets', OPERATIONS)).toBeUndefined();
  });
});

describe('resolveOperationKeys', () => {
  const check = new PropCheck('Stack/Api');

  it('names every unknown key in one error', () => {
    expect(() => resolveOperationKeys(['createPet', 'nope', 'GET /pets'], OPERATIONS, check, 'integrations')).toThrow(
      "SecureApi 'Stack/Api': integrations names operation(s) the document does not define: 'nope', 'GET /pets' (use an operationId, or a route key such as 'GET /pets/{petId}' with the path as the document writes it)",
    );
  });

  it('rejects two keys for the same operation', () => {
    expect(() => resolveOperationKeys(['createPet', 'POST /pets'], OPERATIONS, check, 'stage.throttling.operations')).toThrow(
      "SecureApi 'Stack/Api': stage.throttling.operations names operation 'createPet' twice: as 'createPet' and as 'POST /pets'",
    );
  });
});

describe('keyByOperationId', () => {
  it('re-keys a map by operationId', () => {
    expect(keyByOperationId({ 'GET /pets/{petId}': 1, createPet: 2 }, OPERATIONS, new PropCheck('S/A'), 'integrations')).toEqual({
      getPetsPetId: 1,
      createPet: 2,
    });
    expect(keyByOperationId(undefined, OPERATIONS, new PropCheck('S/A'), 'integrations')).toBeUndefined();
  });
});

describe('resolveOperationKeyIds (the routes of an enum expansion)', () => {
  const EXPANDED = [
    ...OPERATIONS,
    { operationId: 'listAreas_1', documentOperationId: 'listAreas', method: 'get', sourcePath: '/v{version}/areas' },
    { operationId: 'listAreas_2', documentOperationId: 'listAreas', method: 'get', sourcePath: '/v{version}/areas' },
  ];

  it("names every route by the document's operationId or route key, and one route by its own id", () => {
    expect(resolveOperationKeyIds('listAreas', EXPANDED)).toEqual(['listAreas_1', 'listAreas_2']);
    expect(resolveOperationKeyIds('GET /v{version}/areas', EXPANDED)).toEqual(['listAreas_1', 'listAreas_2']);
    expect(resolveOperationKeyIds('listAreas_2', EXPANDED)).toEqual(['listAreas_2']);
    expect(resolveOperationKeyIds('GET /v1/areas', EXPANDED)).toEqual([]);
  });

  it('gives a map keyed by the document operation to each route, and refuses a route named twice', () => {
    const check = new PropCheck('S/Api');
    expect(keyByOperationId({ listAreas: 5, createPet: 1 }, EXPANDED, check, 'integrations')).toEqual({
      listAreas_1: 5,
      listAreas_2: 5,
      createPet: 1,
    });
    expect(() => keyByOperationId({ listAreas: 5, listAreas_1: 6 }, EXPANDED, check, 'integrations')).toThrow(
      "SecureApi 'S/Api': integrations names operation 'listAreas_1' twice: as 'listAreas' and as 'listAreas_1'",
    );
    expect(resolveOperationKeys(['GET /v{version}/areas'], EXPANDED, check, 'excludeOperations')).toEqual(['listAreas_1', 'listAreas_2']);
  });
});
