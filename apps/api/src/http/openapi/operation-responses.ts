import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { AnsweringWith } from '../decorators';
import { MAX_CURSOR_LENGTH } from '../list-cursor';
import { TraceHeaders } from '../openapi-decorators';
import { ApiProblems, REQUEST_ID_RESPONSE_HEADERS } from './problem-schema';

/**
 * The statuses of refusals any command can meet: a field refused (400), no or a bad token (401), a role or party
 * not allowed (403), what it names not found (404), a state that does not allow it or contention (409), a stale
 * If-Match (412), a body too large (413) or not JSON (415), a URL too long (414), an Idempotency-Key reused with another body (422), and the store
 * unavailable (503); 500 is an unexpected fault.
 */
export const COMMAND_PROBLEM_STATUSES = [400, 401, 403, 404, 409, 412, 413, 414, 415, 422, 500, 503] as const;

/** The statuses of refusals any query can meet; 503 also when a read model is behind the asked minPosition. */
export const QUERY_PROBLEM_STATUSES = [400, 401, 403, 404, 414, 500, 503] as const;

/** Headers every answer carries (problems included: see `ApiProblems`). */
const RESPONSE_HEADERS: Record<string, object> = REQUEST_ID_RESPONSE_HEADERS;

const ETAG_HEADER = {
  ETag: {
    required: true,
    description: 'Strong entity tag of the stream revision the body reports, `"<revision>"`; send it back in If-Match',
    schema: { type: 'string', pattern: '^"-?[0-9]+"$', example: '"3"' },
  },
};

const LOCATION_HEADER = {
  Location: { required: true, description: 'Where the created resource (or the resource it belongs to) can be read', schema: { type: 'string', format: 'uri-reference' } },
};

/** Where @nestjs/swagger lists a class's documented properties (`:name`); its constants are not exported. */
const SWAGGER_PROPERTIES = 'swagger/apiModelPropertiesArray';

/** Whether a response class has a top-level `revision`: every answer of such a class carries an ETag. */
const reportsRevision = (schema: Type<unknown>): boolean =>
  ((Reflect.getMetadata(SWAGGER_PROPERTIES, schema.prototype) as string[] | undefined) ?? []).includes(':revision');

function success(status: number, schema: Type<unknown>, description: string, headers: Record<string, object> = {}) {
  return applyDecorators(
    ApiExtraModels(schema),
    ApiResponse({
      status,
      description,
      headers: { ...RESPONSE_HEADERS, ...(reportsRevision(schema) ? ETAG_HEADER : {}), ...(status === 201 ? LOCATION_HEADER : {}), ...headers },
      content: { 'application/json': { schema: { $ref: getSchemaPath(schema) } } },
    }),
  );
}

/** A command's answers: its resource after the command (201 when it creates one), or a problem. */
export function CommandResponses(schema: Type<unknown>, options: { created?: boolean; problems?: readonly number[] } = {}) {
  const status = options.created ? 201 : 200;
  return applyDecorators(
    success(
      status,
      schema,
      options.created
        ? 'Created; a retry with the same Idempotency-Key answers the same'
        : 'Done; a retry with the same Idempotency-Key answers the same',
      {
        'Idempotent-Replayed': {
          description: '`true` when this is the stored answer of an earlier request with the same key',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    ),
    ApiProblems(...(options.problems ?? COMMAND_PROBLEM_STATUSES)),
  );
}

/** A query's answers: its body, or a problem. The handler must answer what the class describes (see AnsweringWith). */
export function QueryResponses<Response>(schema: Type<Response>, options: { problems?: readonly number[] } = {}): AnsweringWith<Response> {
  return applyDecorators(success(200, schema, 'OK'), ApiProblems(...(options.problems ?? QUERY_PROBLEM_STATUSES)), TraceHeaders());
}

/** The `nextCursor` of a list page: opaque base64url, or null on the last page. */
const NextCursorField = () =>
  ApiProperty({
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+$',
    maxLength: MAX_CURSOR_LENGTH,
    nullable: true,
    required: true,
    description: 'Pass as `cursor` to read the next page; null on the last page',
  });

const listPages = new Map<Type<unknown>, Type<unknown>>();

/**
 * The one list envelope for items of `item` (`{ data, nextCursor }`), named after it (`ContractSummarySchema` gives
 * `ContractSummaryPageSchema`). A list that also answers facts about the whole list extends it.
 */
export function ListPageSchema<Item>(item: Type<Item>): Type<{ data: Item[]; nextCursor: string | null }> {
  const known = listPages.get(item);
  if (known) return known as Type<{ data: Item[]; nextCursor: string | null }>;
  class Page {
    @ApiProperty({ type: item, isArray: true, required: true, description: 'The items of this page, in the list order' })
    data!: Item[];

    @NextCursorField()
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: item.name.replace(/Schema$/, 'PageSchema') });
  listPages.set(item, Page);
  return Page;
}

/** A list's answers: a page of items (the plain envelope, or `page` where the list adds members of its own), or a problem. */
export function ListResponses(item: Type<unknown>, options: { page?: Type<unknown>; problems?: readonly number[] } = {}): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    success(200, options.page ?? ListPageSchema(item), 'OK'),
    ApiProblems(...(options.problems ?? QUERY_PROBLEM_STATUSES)),
    TraceHeaders(),
  );
}

/** The `limit` and `cursor` query parameters of a list, with its default and largest page. */
export function PageParameters(limits: { default: number; max: number }) {
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: limits.max, default: limits.default },
      description: `Items per page, 1 to ${limits.max} (default ${limits.default}); more is a 400 naming limit`,
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: MAX_CURSOR_LENGTH },
      description: 'The nextCursor of the previous page, unchanged; without it the list starts at its first item',
    }),
  );
}
