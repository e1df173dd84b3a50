import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3 document the validator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject | unknown>>;
  components?: object;
}

interface OperationObject {
  responses?: Record<string, ResponseObject>;
}

interface ResponseObject {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { schema?: object }>;
}

export interface ObservedResponse {
  method: string;
  /** The request's path, with or without its query. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Verdict =
  { kind: 'validated'; operation: string } | { kind: 'undocumented-path' } | { kind: 'violation'; operation: string; problems: string[] };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * OpenAPI 3.0's `nullable: true` allows null besides what the rest of the schema allows (an `allOf` of a `$ref`
 * included, as generators read it); JSON Schema says it with `anyOf`.
 */
function withNullsAllowed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNullsAllowed);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, member]) => [key, withNullsAllowed(member)] as const);
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (schema.nullable !== true) return schema;
  const { nullable: _nullable, description, ...rest } = schema;
  return { ...(description !== undefined ? { description } : {}), anyOf: [{ type: 'null' }, rest] };
}

/** JSON Pointer escaping (RFC 6901) of one reference token. */
const pointerToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks real responses against the OpenAPI document: the operation the request matched must list the status
 * (exactly, as `4XX`-style range, or as `default`), the body must match the schema of its content type, and
 * every header the document marks as required must be present.
 */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: { method: string; template: string; pattern: RegExp; literalSegments: number }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(withNullsAllowed(document) as object, 'openapi');
    for (const [template, item] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}/?$`);
      const literalSegments = template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length;
      for (const method of HTTP_METHODS) if (item[method]) this.routes.push({ method, template, pattern, literalSegments });
    }
    // A literal segment beats a parameter (`/v1/ledger/trial-balance` before `/v1/ledger/{accountId}`).
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  check(response: ObservedResponse): Verdict {
    const method = response.method.toLowerCase();
    const path = response.url.split('?')[0];
    const route = this.routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    if (!route) return { kind: 'undocumented-path' };
    const operation = `${method.toUpperCase()} ${route.template}`;
    const responses = (this.document.paths[route.template][method] as OperationObject).responses ?? {};
    const statusKey = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((key) => key in responses);
    if (statusKey === undefined) {
      return {
        kind: 'violation',
        operation,
        problems: [`status ${response.status} is not listed (listed: ${Object.keys(responses).join(', ') || 'none'})`],
      };
    }
    const documented = responses[statusKey];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && response.headers[name.toLowerCase()] === undefined) problems.push(`header ${name} is missing`);
    }
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const hasBody = response.status !== 204 && response.status !== 304 && contentType !== '';
    if (hasBody) {
      const content = documented.content ?? {};
      if (!(contentType in content)) {
        problems.push(
          `content type ${contentType} is not documented for ${response.status} (documented: ${Object.keys(content).join(', ') || 'none'})`,
        );
      } else if (content[contentType].schema) {
        const validate = this.validatorFor(route.template, method, statusKey, contentType);
        if (!validate(response.body)) {
          for (const error of validate.errors ?? []) problems.push(`body${error.instancePath} ${error.message ?? 'is invalid'}`);
        }
      }
    }
    return problems.length === 0 ? { kind: 'validated', operation } : { kind: 'violation', operation, problems };
  }

  private validatorFor(template: string, method: string, status: string, contentType: string): ValidateFunction {
    const pointer = ['paths', template, method, 'responses', status, 'content', contentType, 'schema'].map(pointerToken).join('/');
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }
}
