import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export is the function under Node's ESM interop.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

type MediaType = { schema?: unknown };
type Response = { content?: Record<string, MediaType> };
type Operation = { responses?: Record<string, Response> };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

export type Answer = { status: number; headers: Headers; text: string };

const METHODS = ['get', 'head', 'post', 'put', 'delete', 'patch', 'options'];
const DOC_ID = 'https://ethcast.invalid/openapi.json';

/** `~` and `/` escaped for a JSON pointer. */
const pointer = (...parts: string[]) =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Checks answers against an OpenAPI 3.1 document, in-process: the operation exists, its status is
 * listed, the content type is one the listed response names, and the body validates against the listed
 * schema (JSON Schema 2020-12, ajv with its formats). Records which operations were exercised.
 */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp; literal: number }[];
  readonly exercised = new Set<string>();

  constructor(readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
    this.templates = Object.keys(doc.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(
          `^${path
            .split(/\{[^}]+\}/)
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
        literal: path.replace(/\{[^}]+\}/g, '').length,
      }))
      // a literal path wins over a template that also matches it
      .sort((a, b) => b.literal - a.literal);
  }

  /** Every `METHOD /path` the document lists. */
  operations(): string[] {
    return Object.entries(this.doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  }

  /** The documented path a concrete one is answered by, or null. */
  templateOf(path: string): string | null {
    return this.templates.find((t) => t.pattern.test(path))?.path ?? null;
  }

  /** The violations of one answer (empty: it matches the document). */
  check(method: string, url: string, answer: Answer): string[] {
    const path = new URL(url, 'http://x').pathname;
    const what = `${method} ${url} → ${answer.status}`;
    const template = this.templateOf(path);
    const operation = template ? this.doc.paths[template]?.[method.toLowerCase()] : undefined;
    if (!template || !operation) return [`${what}: no such operation in the document`];
    this.exercised.add(`${method.toUpperCase()} ${template}`);
    const responses = operation.responses ?? {};
    const statusKey = String(answer.status);
    const key = statusKey in responses ? statusKey : 'default' in responses ? 'default' : null;
    if (key === null) {
      return [`${what}: status ${answer.status} not listed (listed: ${Object.keys(responses).join(', ')})`];
    }
    const response = responses[key] as Response;
    const contentType = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const hasBody = answer.text.length > 0;
    if (!response.content) {
      return hasBody ? [`${what}: a body where the document lists none`] : [];
    }
    const media = response.content[contentType];
    if (!media) {
      return [
        `${what}: content type "${contentType}" not listed (listed: ${Object.keys(response.content).join(', ')})`,
      ];
    }
    if (method.toUpperCase() === 'HEAD') {
      return hasBody ? [`${what}: HEAD answered with a body`] : [];
    }
    if (media.schema === undefined || !contentType.endsWith('json')) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [`${what}: the body is not JSON: ${answer.text.slice(0, 80)}`];
    }
    const validate = this.validator(template, method.toLowerCase(), key, contentType);
    if (validate(body)) return [];
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(body)'} ${e.message}`)
      .join('; ');
    return [`${what}: body does not match the schema: ${problems} — ${answer.text.slice(0, 200)}`];
  }

  /** Every `example` in the document that its own schema refuses (with where it is). */
  badExamples(): string[] {
    const bad: string[] = [];
    const walk = (node: unknown, path: string[]) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const [i, item] of node.entries()) walk(item, [...path, String(i)]);
        return;
      }
      const record = node as Record<string, unknown>;
      const isSchema = 'type' in record || 'properties' in record || 'anyOf' in record || 'format' in record;
      if ('example' in record && isSchema) {
        const validate = this.ajv.compile({ $ref: `${DOC_ID}#/${pointer(...path)}` });
        if (!validate(record.example)) {
          const problems = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
          bad.push(`/${path.join('/')}: example ${JSON.stringify(record.example)}: ${problems}`);
        }
      }
      for (const [key, value] of Object.entries(record)) {
        if (key !== 'example' && key !== 'examples') walk(value, [...path, key]);
      }
    };
    walk(this.doc, []);
    return bad;
  }

  private validator(template: string, method: string, status: string, contentType: string) {
    const ref = `${DOC_ID}#/${pointer('paths', template, method, 'responses', status, 'content', contentType, 'schema')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
