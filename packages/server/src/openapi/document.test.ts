import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyRoutes } from '../legacy/index.ts';
import { ContractChecker, type OpenApiDocument } from '../test/openapi-contract.ts';
import { startTestServer, type TestServer } from '../test/server.ts';
import { procedureReasons } from './errors.ts';
import { listProcedures } from './procedures.ts';
import { REST_PREFIX, restPathOf } from './rest-face.ts';

type Schema = { properties: Record<string, Record<string, unknown>>; required?: string[] };
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, unknown> };
};

describe('/openapi.json', () => {
  let server: TestServer;
  let doc: Doc;
  beforeAll(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/openapi.json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as Doc;
  });
  afterAll(() => server?.stop());

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every legacy route with its method, and every procedure under /api', () => {
    const legacy = [
      'post /users/register/',
      'post /users/login/',
      'get /users/list/',
      'get /users/get_by_id/{id}',
      'get /users/get/{username}',
      'put /users/update/{id}',
      'delete /users/delete/{id}',
      'get /logs/list/',
      'get /logs/get/{id}',
      'put /logs/update/{id}',
      'delete /logs/delete/{id}',
      'post /predicts/predict/{modelo}',
      'get /predicts/list/',
      'get /predicts/get/{id}',
      'put /predicts/update/{id}',
      'delete /predicts/delete/{id}',
      'get /',
    ];
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(legacy));
    expect(legacyRoutes).toHaveLength(legacy.length - 1);
    for (const procedure of listProcedures()) {
      const method = procedure.type === 'query' ? 'get' : 'post';
      expect(documented).toContain(`${method} ${restPathOf(procedure.path)}`);
    }
  });

  it('documents each /api operation with the access level and the answer its procedure declares', () => {
    type Operation = {
      security: unknown[];
      description: string;
      responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
    };
    const operationOf = (path: string, method: string) =>
      (doc.paths[path] as unknown as Record<string, Operation>)[method] as Operation;
    const access: Record<string, string> = {};
    for (const procedure of listProcedures()) {
      // the URLs and methods /api always had
      expect(`${REST_PREFIX}${procedure.rest.path}`).toBe(restPathOf(procedure.path));
      expect(procedure.rest.method).toBe(procedure.type === 'query' ? 'GET' : 'POST');
      access[procedure.path] = procedure.access;
      const operation = operationOf(restPathOf(procedure.path), procedure.rest.method.toLowerCase());
      const statuses = Object.keys(operation.responses);
      // (a public procedure may answer 401 for its own reasons: login's wrong password)
      if (procedure.access !== 'anyone') expect(statuses, procedure.path).toContain('401');
      if (procedure.access === 'admin') expect(statuses, procedure.path).toContain('403');
      expect(operation.security, procedure.path).toEqual(
        procedure.access === 'anyone' ? [] : [{ bearer: [] }],
      );
      // a real schema (a type or a reference), never the open `{}` of "anything"
      const success = operation.responses['200']?.content?.['application/json']?.schema ?? {};
      expect(
        Object.keys(success).some((key) => ['type', '$ref', 'anyOf'].includes(key)),
        procedure.path,
      ).toBe(true);
    }
    // the builders' meta, merged into each procedure (trpc.ts)
    expect(access).toMatchObject({
      health: 'anyone',
      'users.register': 'anyone',
      'users.me': 'signed-in',
      'predicts.create': 'signed-in',
      'users.list': 'admin',
      'users.createAdmin': 'admin',
      'logs.byId': 'admin',
      'jobs.run': 'admin',
      'prices.sync': 'admin',
    });
    expect(operationOf('/api/users/list', 'get').description).toContain(
      'Needs the bearer token of an admin.',
    );
    expect(operationOf('/api/users/me/', 'get').description).toContain(
      'Needs `Authorization: Bearer <token>`.',
    );
  });

  it('describes bodies with the procedures’ own zod rules', () => {
    const register = doc.paths['/users/register/']?.post?.requestBody?.content['application/json']?.schema;
    expect(register?.properties.username).toMatchObject({ type: 'string', minLength: 3, maxLength: 100 });
    expect(register?.required).toEqual(['username', 'password']);
    const create = doc.paths['/api/predicts/create']?.post?.requestBody?.content['application/json']?.schema;
    expect(create?.properties.days).toMatchObject({ type: 'integer', minimum: 1, maximum: 365 });
    expect(JSON.stringify(doc)).not.toMatch(/"password":\s*\{[^}]*"\$2/);
  });

  it('lists each route’s refusals from its access level and its procedures’ own reasons', () => {
    const statuses = (path: string, method: string) =>
      Object.keys((doc.paths[path]?.[method] as { responses?: object } | undefined)?.responses ?? {});
    expect(Object.keys(procedureReasons).sort()).toEqual(
      listProcedures()
        .map((p) => p.path)
        .sort(),
    );
    expect(statuses('/api/users/me', 'get')).toEqual(['200', '401', '503']);
    expect(statuses('/api/users/list', 'get')).toEqual(['200', '401', '403', '422', '503']);
    expect(statuses('/api/prices/symbols', 'get')).toEqual(['200', '503']);
    expect(statuses('/users/login/', 'post')).toContain('401');
    expect(statuses('/users/login/', 'post')).toContain('429');
    expect(statuses('/users/login/', 'post')).not.toContain('403');
    expect(statuses('/logs/get/{id}', 'get')).toEqual(['200', '401', '403', '404', '422', '503']);
    expect(statuses('/predicts/update/{id}', 'put')).toContain('409');
  });

  it('documents the trailing-slash twins, HEAD for every GET, and the price import', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (item.get) expect(item.head, `HEAD ${path}`).toBeDefined();
    }
    expect(doc.paths['/users/login']?.post).toBeDefined();
    expect(doc.paths['/users/get_by_id/{id}/']?.get).toBeDefined();
    expect(doc.paths['/api/users/me/']?.get).toBeDefined();
    const upload = doc.paths['/api/prices/import']?.post as
      | { requestBody?: { content: object }; responses: object }
      | undefined;
    expect(Object.keys(upload?.requestBody?.content ?? {})).toEqual(['text/csv', 'application/octet-stream']);
    expect(Object.keys(upload?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '422',
      '503',
    ]);
  });

  it('shows sensible examples, each valid for its schema (no negative ids, no year 6304)', () => {
    const checker = new ContractChecker(doc as unknown as OpenApiDocument);
    expect(checker.badExamples()).toEqual([]);
    const text = JSON.stringify(doc);
    const user = (
      doc.components.schemas as Record<
        string,
        { example?: unknown; properties?: Record<string, { example?: unknown }> }
      >
    ).LegacyUser;
    expect(user?.properties?.id?.example).toBe(42);
    expect(user?.properties?.created_at?.example).toBe('2026-03-31T21:39:00.000Z');
    expect(text).not.toContain('-9007199254740991,"example"');
  });
});
