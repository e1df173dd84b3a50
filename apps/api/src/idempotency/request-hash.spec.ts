import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, hashRequest } from './request-hash';

/** The definition the stored request hashes were computed with. */
function formerCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formerCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${formerCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const formerHash = (request: Parameters<typeof hashRequest>[0]): string =>
  createHash('sha256')
    .update(formerCanonicalJson({ method: request.method, route: request.route, params: request.params ?? {}, body: request.body ?? {}, actor: request.actor }))
    .digest('hex');

/** Any JSON value, with keys and strings beyond ASCII (surrogate pairs, lone surrogates), -0, huge and tiny numbers and absent members. */
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.double(),
    fc.integer(),
    fc.constantFrom(0, -0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.sparseArray(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('the request hash', () => {
  it('writes exactly the canonical JSON of the former definition for any value, so that stored hashes stay equal', () => {
    fc.assert(fc.property(anyValue, (value) => canonicalJson(value) === formerCanonicalJson(value)), { numRuns: 2000 });
  });

  it('hashes any command as before, and the same body in another key order alike', () => {
    const actor = fc.record({ id: fc.string({ minLength: 1, maxLength: 12 }), role: fc.constantFrom('user', 'support', 'system') });
    fc.assert(
      fc.property(fc.constantFrom('POST', 'PUT'), fc.string(), fc.dictionary(fc.string(), fc.string()), anyValue, actor, (method, route, params, body, who) => {
        const request = { method, route, params, body, actor: who } as Parameters<typeof hashRequest>[0];
        expect(hashRequest(request)).toBe(formerHash(request));
      }),
      { numRuns: 500 },
    );
    const actorOf = { id: 'client-1', role: 'user' } as const;
    const one = hashRequest({ method: 'POST', route: '/v1/contracts', params: {}, body: { a: 1, b: { c: [1, { d: 2, e: 3 }] } }, actor: actorOf });
    const other = hashRequest({ method: 'POST', route: '/v1/contracts', params: {}, body: { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }, actor: actorOf });
    expect(other).toBe(one);
    expect(hashRequest({ method: 'POST', route: '/v1/contracts', params: {}, body: { a: 2 }, actor: actorOf })).not.toBe(one);
  });
});
