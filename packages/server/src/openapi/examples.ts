/**
 * Sensible examples where a schema has none, so /docs shows `"id": 42` and a 2026 date instead of what
 * Swagger UI makes up from the bounds (`-9007199254740991`) and patterns (`"6304-02-29…"`). By field
 * name first, then by format; every example is checked against its schema (document.test.ts).
 */
const byName: Record<string, unknown> = {
  id: 42,
  user_id: 7,
  userId: 7,
  cursor: 42,
  nextCursor: 41,
  username: 'joao',
  username_log: 'joao',
  usernameLog: 'joao',
  username_predict: 'joao',
  requestedBy: 'maria',
  symbol: 'ETH-USD',
  model: 'naive',
  modelo: 'naive',
  action: 'login success',
  message: 'Login bem-sucedido',
  error: 'Dados inválidos: username: must be at least 3 characters',
  reason: 'INVALID_INPUT',
  note: 'alta?',
  token: 'k3V9tN2qXw7LmZ0aB4cD8eF1gH5jR6sT',
  days: 7,
  horizon: 7,
  open: 1812.44,
  high: 1840.02,
  low: 1800.1,
  close: 1823.07,
  value: 1840.5,
  lower80: 1760.2,
  upper80: 1921.3,
  lower95: 1712.9,
  upper95: 1970.6,
  oldClose: 1821.5,
  newClose: 1823.07,
  volume: 398112.3,
};

const byFormat: Record<string, unknown> = {
  'date-time': '2026-03-31T21:39:00.000Z',
  date: '2026-03-31',
};

type Schema = Record<string, unknown>;

const typeOf = (value: unknown) =>
  Number.isInteger(value) ? 'integer' : typeof value === 'number' ? 'number' : typeof value;

/** Whether the example is of a type the schema allows (the test checks the rest of the schema). */
function fits(schema: Schema, value: unknown): boolean {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.length === 0) return false;
  const kind = typeOf(value);
  return types.includes(kind) || (kind === 'integer' && types.includes('number'));
}

function exampleFor(schema: Schema, name: string | null): unknown {
  // Swagger UI shows a constant or the first allowed value itself
  if ('const' in schema || 'enum' in schema) return undefined;
  if (name && name in byName && fits(schema, byName[name])) return byName[name];
  if (typeof schema.format === 'string' && schema.format in byFormat) return byFormat[schema.format];
  // an integer whose only bound is JSON's safe range: Swagger UI would show -9007199254740991
  if (schema.type === 'integer' && typeof schema.minimum === 'number' && schema.minimum < -1e15) return 1;
  return undefined;
}

/** Adds examples in place, through properties, items, compositions and parameters. */
export function addExamples(node: unknown, name: string | null = null): void {
  if (Array.isArray(node)) {
    for (const item of node) addExamples(item, null);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.example === undefined && schema.examples === undefined && !('$ref' in schema)) {
    const example = exampleFor(schema, name);
    if (example !== undefined) schema.example = example;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [property, child] of Object.entries(value)) addExamples(child, property);
    } else if (key === 'parameters' && Array.isArray(value)) {
      for (const parameter of value as Schema[]) addExamples(parameter.schema, String(parameter.name ?? ''));
    } else if (key !== 'example' && key !== 'examples') {
      addExamples(value, null);
    }
  }
}
