import { OpenApiResponseValidator, type OpenApiDocument } from './response-validator';

const problem = { type: 'object', required: ['code'], properties: { code: { type: 'string' } } };
const document: OpenApiDocument = {
  paths: {
    '/v1/things/{thingId}': {
      get: {
        responses: {
          '200': {
            headers: { ETag: { required: true } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '4XX': { content: { 'application/problem+json': { schema: problem } } },
        },
      },
    },
    '/v1/things/special': { get: { responses: { '204': {} } } },
    '/v1/things/{thingId}/parent': {
      get: {
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['parent'],
                  properties: { parent: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Thing' }] } },
                },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        additionalProperties: false,
        required: ['thingId', 'amount'],
        properties: { thingId: { type: 'string' }, amount: { type: 'integer', minimum: 0 } },
      },
    },
  },
};

const validator = new OpenApiResponseValidator(document);
const json = { 'content-type': 'application/json; charset=utf-8', etag: '"3"' };

describe('the OpenAPI response validator', () => {
  it('accepts a response whose status, headers and body the document describes, following $refs', () => {
    expect(
      validator.check({ method: 'GET', url: '/v1/things/t-1?x=1', status: 200, headers: json, body: { thingId: 't-1', amount: 5 } }),
    ).toEqual({
      kind: 'validated',
      operation: 'GET /v1/things/{thingId}',
    });
  });

  it('refuses a body that does not match: a float amount, an unknown field, a missing field', () => {
    const verdict = validator.check({
      method: 'GET',
      url: '/v1/things/t-1',
      status: 200,
      headers: json,
      body: { amount: 1.5, extra: true },
    });
    expect(verdict).toMatchObject({ kind: 'violation' });
    const problems = verdict.kind === 'violation' ? verdict.problems : [];
    expect(problems).toEqual(
      expect.arrayContaining([
        "body must have required property 'thingId'",
        'body must NOT have additional properties',
        'body/amount must be integer',
      ]),
    );
  });

  it('refuses an unlisted status and a missing required header, and takes a status range', () => {
    expect(validator.check({ method: 'GET', url: '/v1/things/t-1', status: 500, headers: {}, body: undefined })).toMatchObject({
      kind: 'violation',
      problems: [expect.stringContaining('status 500 is not listed')],
    });
    expect(
      validator.check({
        method: 'GET',
        url: '/v1/things/t-1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { thingId: 't', amount: 1 },
      }),
    ).toMatchObject({
      kind: 'violation',
      problems: ['header ETag is missing'],
    });
    expect(
      validator.check({
        method: 'GET',
        url: '/v1/things/t-1',
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        body: { code: 'NOT_FOUND' },
      }),
    ).toMatchObject({
      kind: 'validated',
    });
  });

  it('refuses a content type the document does not give for that status', () => {
    expect(
      validator.check({ method: 'GET', url: '/v1/things/t-1', status: 404, headers: { 'content-type': 'text/html' }, body: '<p>' }),
    ).toMatchObject({
      kind: 'violation',
      problems: [expect.stringContaining('content type text/html is not documented')],
    });
  });

  it('prefers a literal path segment to a parameter, and tells a path the document does not have', () => {
    expect(validator.check({ method: 'GET', url: '/v1/things/special', status: 204, headers: {}, body: undefined })).toMatchObject({
      kind: 'validated',
      operation: 'GET /v1/things/special',
    });
    expect(validator.check({ method: 'GET', url: '/v1/unknown', status: 404, headers: {}, body: undefined })).toEqual({
      kind: 'undocumented-path',
    });
    expect(validator.check({ method: 'DELETE', url: '/v1/things/t-1', status: 404, headers: {}, body: undefined })).toEqual({
      kind: 'undocumented-path',
    });
  });

  it('takes null where the document says nullable, also beside an allOf of a $ref, and nothing else that does not match', () => {
    const parentOf = (parent: unknown) =>
      validator.check({ method: 'GET', url: '/v1/things/t-1/parent', status: 200, headers: json, body: { parent } }).kind;
    expect(parentOf(null)).toBe('validated');
    expect(parentOf({ thingId: 't-0', amount: 1 })).toBe('validated');
    expect(parentOf({ thingId: 't-0', amount: -1 })).toBe('violation');
    expect(parentOf('t-0')).toBe('violation');
  });
});
