import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPrices } from '../db/queries/price-upsert.ts';
import { createActor } from '../test/actors.ts';
import { testEngine } from '../test/db.ts';
import { generateCandles } from '../test/price-csv.ts';
import { startTestServer, type TestServer } from '../test/server.ts';

/**
 * The same request sequences, sent by the clients the legacy backend's users really write (a Python
 * `requests` Session with JSON default headers, a `fetch` wrapper, curl with a pasted `-H`), to the
 * FastAPI rebuild of the legacy backend (`<repo>/../shared/peer/legacy_full.py`) and to Ethcast. Status
 * codes and JSON shapes (keys and value types) must agree, except for the differences in this table,
 * the same as README's "REST API" section.
 */
export const INTENDED_DIFFERENCES = {
  TOKEN: {
    legacy: 'no authentication: every route answers anyone',
    ethcast:
      'every route but register and login needs `Authorization: Bearer <token>` (the `token` login adds): 401 without it',
    why: 'security',
  },
  NO_SECRETS: {
    legacy: 'user rows carry the bcrypt `password` hash; 500s carry a Python `trace`',
    ethcast:
      'never a hash or a trace (the keys `password` and `trace` are absent); a malformed body is not echoed back (`ctx.doc` of a JSON error is empty)',
    why: 'security',
  },
  LOGIN_UNIFORM: {
    legacy: 'wrong password 400 "Senha inválida", unknown user 404 "Usuário não encontrado"',
    ethcast: 'both 401 `{"error": "Usuário ou senha inválidos"}`, the same answer',
    why: 'security: the legacy answers told anyone which usernames exist',
  },
  SCOPED: {
    legacy: 'anyone reads, changes and deletes every row',
    ethcast:
      "a user sees their own rows (others' answer 404, like missing ones), admins all; users/list and logs get/update/delete are admin-only (403)",
    why: 'security',
  },
  IDENTITY_FROM_SESSION: {
    legacy: '`username` and `user_id` of a predict body are stored as sent (required fields)',
    ethcast:
      'the session decides who forecasts: `username`, `user_id` and `forecast_result` are optional and ignored; `forecast` must be true when sent',
    why: 'security, and the server computes the forecast',
  },
  OWN_PASSWORD: {
    legacy: 'PUT /users/update/{id} sets any password',
    ethcast: 'changing your own password needs `current_password` too (400 without it)',
    why: 'security: a stolen token must not be enough to take the account',
  },
  UPDATE_REFUSED: {
    legacy:
      'PUT /predicts/update/{id} of an existing forecast answers 500 with a trace (it read a missing field)',
    ethcast:
      '409 `{"error"}` (a stored forecast is immutable; `{"note"}` changes its note); order 401, 422, 404, then 409',
    why: 'a legacy bug',
  },
  UNKNOWN_MODEL: {
    legacy: '200 `{"status": "error", "message"}` for a model it does not have',
    ethcast:
      '400 with the same shape (and `X-Error-Reason: UNKNOWN_MODEL`); the models are Ethcast’s (`naive`, …)',
    why: 'an error status for an error',
  },
  CORS: {
    legacy: 'every origin, with credentials, every method and header; preflight 200',
    ethcast:
      'only origins in CORS_ORIGINS; preflight 204 with the path’s methods and the headers the routes read',
    why: 'security',
  },
  HEAD: {
    legacy: '`HEAD` on a GET route answers 405',
    ethcast: 'the GET’s status and headers without a body',
    why: 'HTTP (RFC 9110); /openapi.json documents it',
  },
} as const;

type Difference = keyof typeof INTENDED_DIFFERENCES;

type Step = {
  method: string;
  path: string;
  json?: unknown;
  data?: string;
  headers?: Record<string, string>;
  auth?: 'user' | 'admin' | 'none';
  capture?: Record<string, (string | number)[]>;
  /** the status Ethcast answers where the table says it differs (else: the legacy status) */
  differs?: { why: Difference; status: number };
};

type Answer = { status: number; headers: Record<string, string>; body: unknown; text: string };

const PASSWORD = 'S3cure-passw0rd';
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** `<repo>/../shared/peer`, or LEGACY_PEER_DIR (e.g. for a git worktree that sits one level deeper). */
const peerDir = process.env.LEGACY_PEER_DIR ?? `${repoRoot}../shared/peer`;
const PYTHON = '/usr/bin/python3';
const ADMIN_DB = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why the suite cannot run here, or null. */
function missingPrerequisite(): string | null {
  if (!existsSync(`${peerDir}/legacy_full.py`)) {
    return `the legacy rebuild is not at ${peerDir}/legacy_full.py (set LEGACY_PEER_DIR to its folder)`;
  }
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn, psycopg2, bcrypt, requests'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    return `Debian's python3 lacks a module (apt-get install python3-fastapi uvicorn python3-psycopg2 python3-bcrypt python3-requests): ${probe.stderr.trim().split('\n').at(-1)}`;
  }
  if (spawnSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']).status !== 0) {
    return 'no PostgreSQL at 127.0.0.1:5432 (the legacy rebuild needs one)';
  }
  return null;
}

const skipReason = missingPrerequisite();
if (skipReason) {
  // CI installs all of it (.ci/run): there a missing piece is a failure, not a skip.
  if (process.env.CI) throw new Error(`differential suite cannot run: ${skipReason}`);
  console.warn(`differential suite skipped: ${skipReason}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The sequence a legacy client runs; `n` keeps each client's usernames apart. */
function sequence(n: string): Step[] {
  const name = `ana_${n}`;
  const legacyBody = { username: name, forecast: true, forecast_result: '', days: '3', user_id: 1 };
  return [
    { method: 'GET', path: '/' },
    {
      method: 'POST',
      path: '/users/register/',
      json: { username: name, password: PASSWORD },
      capture: { uid: ['user_id'] },
    },
    { method: 'POST', path: '/users/register/', json: { username: name, password: PASSWORD } },
    // pydantic 1 coerced numbers to text for str fields
    { method: 'POST', path: '/users/register/', json: { username: `bia_${n}`, password: 123456789012345 } },
    { method: 'POST', path: '/users/register', json: { username: `caio_${n}`, password: PASSWORD } },
    { method: 'POST', path: '/users/register/', json: { username: name } },
    { method: 'POST', path: '/users/register/', data: '{"username":' },
    { method: 'POST', path: '/users/register/', data: '[1, 2]' },
    {
      method: 'POST',
      path: '/users/login/',
      json: { username: name, password: PASSWORD },
      capture: { user: ['token'] },
    },
    {
      method: 'POST',
      path: '/users/login/',
      json: { username: name, password: 'wrong-passw0rd' },
      differs: { why: 'LOGIN_UNIFORM', status: 401 },
    },
    {
      method: 'POST',
      path: '/users/login/',
      json: { username: `nobody_${n}`, password: PASSWORD },
      differs: { why: 'LOGIN_UNIFORM', status: 401 },
    },
    { method: 'GET', path: '/users/list/', auth: 'admin' },
    { method: 'GET', path: '/users/list', auth: 'admin' },
    { method: 'GET', path: '/users/list/', auth: 'user', differs: { why: 'SCOPED', status: 403 } },
    { method: 'GET', path: '/users/list/', differs: { why: 'TOKEN', status: 401 } },
    { method: 'POST', path: '/users/list/', auth: 'admin' },
    { method: 'GET', path: '/users/get_by_id/{uid}', auth: 'user' },
    { method: 'GET', path: '/users/get_by_id/{uid}/', auth: 'user' },
    { method: 'GET', path: '/users/get_by_id/{uid}', differs: { why: 'TOKEN', status: 401 } },
    { method: 'GET', path: '/users/get_by_id/abc', auth: 'user' },
    { method: 'GET', path: '/users/get_by_id/-1', auth: 'user' },
    { method: 'GET', path: '/users/get_by_id/99999999', auth: 'admin' },
    { method: 'GET', path: `/users/get/${name}`, auth: 'user' },
    { method: 'GET', path: `/users/get/${name}/`, auth: 'user' },
    { method: 'GET', path: `/users/get/nobody_${n}`, auth: 'admin' },
    { method: 'DELETE', path: '/users/get_by_id/{uid}', auth: 'user' },
    // forecasts
    {
      method: 'POST',
      path: '/predicts/predict/{model}',
      json: legacyBody,
      auth: 'user',
      capture: { pid: ['data', 0, 'id'] },
    },
    { method: 'POST', path: '/predicts/predict/{model}/', json: legacyBody, auth: 'user' },
    {
      method: 'POST',
      path: '/predicts/predict/{model}',
      json: { ...legacyBody, days: 'three' },
      auth: 'user',
    },
    {
      method: 'POST',
      path: '/predicts/predict/no-such-model',
      json: legacyBody,
      auth: 'user',
      differs: { why: 'UNKNOWN_MODEL', status: 400 },
    },
    {
      method: 'POST',
      path: '/predicts/predict/{model}',
      json: { days: 1 },
      auth: 'user',
      differs: { why: 'IDENTITY_FROM_SESSION', status: 200 },
    },
    {
      method: 'POST',
      path: '/predicts/predict/{model}',
      json: legacyBody,
      differs: { why: 'TOKEN', status: 401 },
    },
    { method: 'GET', path: '/predicts/predict/{model}', auth: 'user' },
    { method: 'GET', path: '/predicts/list/', auth: 'user' },
    { method: 'GET', path: '/predicts/list', auth: 'user' },
    { method: 'HEAD', path: '/predicts/list/', auth: 'user', differs: { why: 'HEAD', status: 200 } },
    { method: 'POST', path: '/predicts/list/', auth: 'user' },
    { method: 'GET', path: '/predicts/get/{pid}', auth: 'user' },
    { method: 'GET', path: '/predicts/get/{pid}/', auth: 'user' },
    { method: 'GET', path: '/predicts/get/abc', auth: 'user' },
    { method: 'GET', path: '/predicts/get/0', auth: 'user' },
    { method: 'GET', path: '/predicts/get/99999999', auth: 'user' },
    {
      method: 'PUT',
      path: '/predicts/update/{pid}',
      json: { username: name, forecast: true, forecast_result: '[]' },
      auth: 'user',
      differs: { why: 'UPDATE_REFUSED', status: 409 },
    },
    {
      method: 'PUT',
      path: '/predicts/update/99999999',
      json: { username: name, forecast: true, forecast_result: '[]' },
      auth: 'user',
    },
    {
      method: 'PUT',
      path: '/predicts/update/abc',
      json: { username: name, forecast: true, forecast_result: '[]' },
      auth: 'user',
    },
    {
      method: 'PUT',
      path: '/predicts/update/{pid}',
      json: { username: name, forecast: true, forecast_result: '[]' },
      differs: { why: 'TOKEN', status: 401 },
    },
    { method: 'PUT', path: '/predicts/update/{pid}', data: '{"username"', auth: 'user' },
    { method: 'OPTIONS', path: '/predicts/delete/{pid}', auth: 'user' },
    { method: 'GET', path: '/predicts/delete/{pid}', auth: 'user' },
    { method: 'DELETE', path: '/predicts/delete/{pid}/', auth: 'user' },
    { method: 'DELETE', path: '/predicts/delete/{pid}', auth: 'user' },
    { method: 'DELETE', path: '/predicts/delete/{pid}', auth: 'user' },
    // after the deletion: the legacy backend would have let this anonymous call delete the row
    { method: 'DELETE', path: '/predicts/delete/{pid}', differs: { why: 'TOKEN', status: 401 } },
    { method: 'DELETE', path: '/predicts/delete/abc', auth: 'user' },
    // the audit log (admins here; the legacy backend let anyone)
    { method: 'GET', path: '/logs/list/', auth: 'admin', capture: { lid: ['logs', 0, 'id'] } },
    { method: 'GET', path: '/logs/list', auth: 'admin' },
    { method: 'GET', path: '/logs/get/{lid}', auth: 'admin' },
    { method: 'GET', path: '/logs/get/{lid}/', auth: 'admin' },
    { method: 'GET', path: '/logs/get/{lid}', auth: 'user', differs: { why: 'SCOPED', status: 403 } },
    { method: 'GET', path: '/logs/get/-5', auth: 'admin' },
    { method: 'GET', path: '/logs/get/x', auth: 'admin' },
    {
      method: 'PUT',
      path: '/logs/update/{lid}',
      json: { username_log: name, action: 'corrigido' },
      auth: 'admin',
    },
    {
      method: 'PUT',
      path: '/logs/update/{lid}/',
      json: { username_log: name, action: 'corrigido' },
      auth: 'admin',
    },
    { method: 'PUT', path: '/logs/update/{lid}', json: { username_log: name }, auth: 'admin' },
    {
      method: 'PUT',
      path: '/logs/update/99999999',
      json: { username_log: name, action: 'x' },
      auth: 'admin',
    },
    { method: 'PATCH', path: '/logs/update/{lid}', json: { action: 'x' }, auth: 'admin' },
    { method: 'DELETE', path: '/logs/delete/{lid}', auth: 'admin' },
    { method: 'DELETE', path: '/logs/delete/{lid}', auth: 'admin' },
    { method: 'DELETE', path: '/logs/delete/{lid}', auth: 'user', differs: { why: 'SCOPED', status: 403 } },
    { method: 'DELETE', path: '/logs/delete/{lid}/', auth: 'admin' },
    // the account itself, last
    {
      method: 'PUT',
      path: '/users/update/{uid}',
      json: { username: name, password: 'n3w-S3cure-passw0rd' },
      auth: 'user',
      differs: { why: 'OWN_PASSWORD', status: 400 },
    },
    {
      method: 'PUT',
      path: '/users/update/{uid}',
      json: { username: `${name}_2`, password: 'n3w-S3cure-passw0rd' },
      auth: 'admin',
    },
    {
      method: 'PUT',
      path: '/users/update/{uid}/',
      json: { username: `${name}_2`, password: 'n3w-S3cure-passw0rd' },
      auth: 'admin',
    },
    { method: 'PUT', path: '/users/update/abc', json: { username: name, password: PASSWORD }, auth: 'admin' },
    {
      method: 'PUT',
      path: '/users/update/99999999',
      json: { username: `zz_${n}`, password: PASSWORD },
      auth: 'admin',
    },
    { method: 'DELETE', path: '/users/delete/{uid}/', auth: 'admin' },
    { method: 'DELETE', path: '/users/delete/{uid}', auth: 'admin' },
    { method: 'DELETE', path: '/users/delete/{uid}', auth: 'admin' },
    { method: 'GET', path: '/no/such/route' },
  ];
}

type Target = { base: string; vars: Record<string, string>; tokens: Record<string, string> };
type Runner = (target: Target, steps: Step[]) => Promise<Answer[]>;

const dig = (value: unknown, path: (string | number)[]) =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );

const fill = (path: string, vars: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? `{${k}}`);

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** Runs steps one by one with `send`, capturing ids and the token as a client would. */
async function runSteps(
  target: Target,
  steps: Step[],
  send: (url: string, step: Step, headers: Record<string, string>) => Promise<Answer>,
): Promise<Answer[]> {
  const vars = { ...target.vars };
  const tokens = { ...target.tokens };
  const answers: Answer[] = [];
  for (const step of steps) {
    const headers: Record<string, string> = { ...step.headers };
    const token = tokens[step.auth ?? 'none'];
    if (token) headers.Authorization = `Bearer ${token}`;
    const answer = await send(`${target.base}${fill(step.path, vars)}`, step, headers);
    for (const [name, path] of Object.entries(step.capture ?? {})) {
      const value = dig(answer.body, path);
      if (value !== undefined && value !== null) (name === 'user' ? tokens : vars)[name] = String(value);
    }
    answers.push(answer);
  }
  return answers;
}

const bodyOf = (step: Step) => (step.json !== undefined ? JSON.stringify(step.json) : step.data);

/** A `requests.Session()` with `Content-Type: application/json` among its default headers (real Python). */
const pythonRequests: Runner = async (target, steps) => {
  const script = fileURLToPath(new URL('./differential_requests.py', import.meta.url));
  const child = execFile(PYTHON, [script], { maxBuffer: 64 * 1024 * 1024 });
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`requests runner: ${err}`))));
  });
  const plain = steps.map(({ differs: _d, ...step }) => step);
  child.stdin?.end(JSON.stringify({ ...target, steps: plain }));
  return JSON.parse(await output) as Answer[];
};

/** The old frontend's `fetch` wrapper: JSON headers on every call and the browser's Accept-Language. */
const fetchWrapper: Runner = (target, steps) =>
  runSteps(target, steps, async (url, step, headers) => {
    const response = await fetch(url, {
      method: step.method,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': 'en-US,en;q=0.9',
        ...headers,
      },
      body: bodyOf(step),
      redirect: 'manual',
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: parse(text),
      text,
    };
  });

/** curl with a pasted `-H 'Content-Type: application/json'`, as the legacy docs showed it. */
const curl: Runner = (target, steps) =>
  runSteps(target, steps, async (url, step, headers) => {
    const method = step.method === 'HEAD' ? ['-I'] : ['-i', '-X', step.method];
    const args = ['-s', ...method, '-H', 'Content-Type: application/json'];
    for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
    const body = bodyOf(step);
    if (body !== undefined) args.push('--data-raw', body);
    const { stdout } = await promisify(execFile)('curl', [...args, url]);
    const [head = '', ...rest] = stdout.split(/\r?\n\r?\n/);
    const text = rest.join('\n\n');
    const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
    const responseHeaders = Object.fromEntries(
      headerLines.map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
      }),
    );
    return { status: Number(statusLine.split(' ')[1]), headers: responseHeaders, body: parse(text), text };
  });

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Keys the legacy answer has that Ethcast leaves out on purpose (NO_SECRETS). */
const WITHHELD = new Set(['password', 'trace']);

/** Where Ethcast's answer lacks a key of the legacy one, or has another type (null fits any type). */
export function shapeProblems(legacy: unknown, ethcast: unknown, at = '$'): string[] {
  if (legacy === null || ethcast === null) return [];
  const [a, b] = [typeOf(legacy), typeOf(ethcast)];
  if (a !== b) return [`${at}: legacy ${a}, ethcast ${b}`];
  if (a === 'array') {
    const [first, second] = [(legacy as unknown[])[0], (ethcast as unknown[])[0]];
    return first !== undefined && second !== undefined ? shapeProblems(first, second, `${at}[0]`) : [];
  }
  if (a !== 'object') return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(legacy as Record<string, unknown>)) {
    if (WITHHELD.has(key)) continue;
    if (!(key in (ethcast as object))) problems.push(`${at}.${key}: missing`);
    else problems.push(...shapeProblems(value, (ethcast as Record<string, unknown>)[key], `${at}.${key}`));
  }
  return problems;
}

function secretsIn(value: unknown, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretsIn(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object')
    return typeof value === 'string' && /\$2[aby]\$/.test(value) ? [at] : [];
  return Object.entries(value).flatMap(([k, v]) =>
    WITHHELD.has(k) ? [`${at}.${k}`] : secretsIn(v, `${at}.${k}`),
  );
}

describe.skipIf(skipReason !== null)(`differential: legacy_full.py vs Ethcast (${testEngine})`, () => {
  let peer: ChildProcess | undefined;
  let peerLog = '';
  let peerUrl = '';
  let dbName = '';
  let server: TestServer;
  let adminToken = '';

  beforeAll(async () => {
    dbName = `legacy_diff_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = postgres(ADMIN_DB, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dbName}"`);
    await admin.end();
    const db = postgres(ADMIN_DB.replace(/\/postgres$/, `/${dbName}`), { max: 1, onnotice: () => {} });
    await db.unsafe(readFileSync(`${peerDir}/schema.sql`, 'utf8'));
    await db.end();

    const port = await freePort();
    peerUrl = `http://127.0.0.1:${port}`;
    peer = spawn(
      PYTHON,
      ['-m', 'uvicorn', 'legacy_full:app', '--host', '127.0.0.1', '--port', String(port)],
      {
        cwd: peerDir,
        env: { PATH: process.env.PATH ?? '', PEER_DSN: `dbname=${dbName} user=postgres host=127.0.0.1` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    peer.stdout?.on('data', (d) => {
      peerLog += d;
    });
    peer.stderr?.on('data', (d) => {
      peerLog += d;
    });

    server = await startTestServer({ CORS_ORIGINS: 'http://old-frontend.example' });
    await upsertPrices(server.services.db, generateCandles('ETH-USD', '2024-01-01', 400, 5), 'test');
    await createActor(server.services, 'chefe', 'admin');
    const login = await fetch(`${server.url}/users/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chefe', password: 'correct-horse-battery' }),
    });
    adminToken = ((await login.json()) as { token: string }).token;

    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${peerUrl}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (attempt > 300 || peer.exitCode !== null)
        throw new Error(`legacy_full.py did not start: ${peerLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    peer?.kill('SIGTERM');
    await server?.stop();
    if (dbName) {
      const admin = postgres(ADMIN_DB, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    }
  });

  const runners: [string, Runner][] = [
    ['a requests Session with JSON default headers', pythonRequests],
    ['a fetch wrapper with JSON headers and a browser Accept-Language', fetchWrapper],
    ['curl with a pasted Content-Type header', curl],
  ];

  it('every intended difference is exercised: by a step, on every answer (NO_SECRETS) or by the CORS test', () => {
    const used = new Set<string>(['NO_SECRETS', 'CORS']);
    for (const step of sequence('x')) if (step.differs) used.add(step.differs.why);
    expect(Object.keys(INTENDED_DIFFERENCES).filter((key) => !used.has(key))).toEqual([]);
  });

  it.each(runners)(
    '%s: every route, slash and no-slash, good and bad input',
    async (label, runner) => {
      const n = label.split(' ')[1] ?? 'x';
      const steps = sequence(n);
      const legacy = await runner({ base: peerUrl, vars: { model: 'lstm' }, tokens: {} }, steps);
      const ethcast = await runner(
        { base: server.url, vars: { model: 'naive' }, tokens: { admin: adminToken } },
        steps,
      );
      const problems: string[] = [];
      for (const [i, step] of steps.entries()) {
        const [old, now] = [legacy[i], ethcast[i]];
        const what = `${step.method} ${step.path}`;
        if (!old || !now) {
          problems.push(`${what}: no answer`);
          continue;
        }
        const expected = step.differs?.status ?? old.status;
        if (now.status !== expected) {
          problems.push(
            `${what}: status ${now.status}, expected ${expected} (legacy ${old.status}) ${now.text.slice(0, 200)}`,
          );
        }
        problems.push(...secretsIn(now.body).map((p) => `${what}: carries ${p}`));
        if (/Traceback|File ".*", line/.test(now.text)) problems.push(`${what}: a trace`);
        if (old.status === 307) {
          const [a, b] = [old.headers.location ?? '', now.headers.location ?? ''];
          // ids and the model name differ between the two (each has its own rows and models)
          const plain = (location: string, base: string, model: string) =>
            new URL(location, base).pathname.replace(/\d+/g, 'N').replace(`/${model}`, '/MODEL');
          if (plain(a, peerUrl, 'lstm') !== plain(b, server.url, 'naive')) {
            problems.push(`${what}: redirects to ${b}, legacy to ${a}`);
          }
        }
        if (old.status === 405 && now.status === 405 && now.headers.allow !== old.headers.allow) {
          problems.push(`${what}: Allow ${now.headers.allow}, legacy ${old.headers.allow}`);
        }
        // a difference of the table changes the status; the legacy shape is then no reference
        if (!step.differs && now.status === old.status) {
          problems.push(...shapeProblems(old.body, now.body).map((p) => `${what}: ${p}`));
        }
        // Portuguese, whatever Accept-Language the client sends
        const message = (now.body as { message?: unknown } | null)?.message;
        if (typeof message === 'string' && /^(User|Signed|Forecast|Log entry|No )/.test(message)) {
          problems.push(`${what}: English message "${message}"`);
        }
      }
      expect(problems).toEqual([]);
    },
    300_000,
  );

  it('CORS: a configured origin may PUT and DELETE with Authorization; another origin gets no CORS', async () => {
    const preflight = (origin: string, method: string) =>
      fetch(`${server.url}/predicts/delete/1`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': method,
          'Access-Control-Request-Headers': 'authorization,content-type',
          'Content-Type': 'application/json',
        },
      });
    const allowed = await preflight('http://old-frontend.example', 'DELETE');
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://old-frontend.example');
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/\bDELETE\b/);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);
    const update = await fetch(`${server.url}/predicts/update/1`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://old-frontend.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(update.headers.get('access-control-allow-methods')).toMatch(/\bPUT\b/);
    const foreign = await preflight('https://evil.example', 'DELETE');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
    // the legacy backend allowed every origin (INTENDED_DIFFERENCES.CORS)
    const legacy = await fetch(`${peerUrl}/predicts/delete/1`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'DELETE' },
    });
    expect(legacy.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('English only when asked for explicitly: ?lang=en or X-Ethcast-Language: en', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${adminToken}`, ...headers } }).then(
        (r) => r.json() as Promise<{ message: string }>,
      );
    expect((await get('/users/list/', { 'accept-language': 'en-US,en;q=0.9' })).message).toBe(
      'Lista de usuários na base',
    );
    expect((await get('/users/list/?lang=en')).message).toBe('Users');
    expect((await get('/users/list/', { 'x-ethcast-language': 'en' })).message).toBe('Users');
  });

  it('rows keep the legacy keys and types: date as São Paulo text, forecast boolean, points with date/predicted_value', async () => {
    const auth = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const made = await fetch(`${server.url}/predicts/predict/naive`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ days: 2 }),
    }).then((r) => r.json() as Promise<{ data: Record<string, unknown>[] }>);
    const row = made.data[0] ?? {};
    expect(row.date).toMatch(/^\d{2}\/\d{2}\/\d{4}_\d{2}h\d{2}$/);
    const created = new Date(row.created_at as string);
    const sp = new Date(created.getTime() - 3 * 3600_000); // São Paulo: UTC−3 since 2019
    const pad = (x: number) => String(x).padStart(2, '0');
    expect(row.date).toBe(
      `${pad(sp.getUTCDate())}/${pad(sp.getUTCMonth() + 1)}/${sp.getUTCFullYear()}_${pad(sp.getUTCHours())}h${pad(sp.getUTCMinutes())}`,
    );
    expect(row.forecast).toBe(true);
    const points = row.forecast_result as Record<string, unknown>[];
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ date: points[0]?.day, predicted_value: points[0]?.value });
    const list = await fetch(`${server.url}/predicts/list/`, { headers: auth }).then(
      (r) => r.json() as Promise<{ predict: Record<string, unknown>[] }>,
    );
    expect(list.predict[0]?.forecast_result).toEqual(points);
    const got = await fetch(`${server.url}/predicts/get/${row.id}`, { headers: auth }).then(
      (r) => r.json() as Promise<{ user: unknown[]; predict: unknown[] }>,
    );
    expect(got.user).toHaveLength(1);
    expect(got.user).toEqual(got.predict);
  });
});
