import { createHash } from 'node:crypto';
import type { Actor } from '@escrow/domain/shared/actor';

/**
 * SHA-256 of an HTTP command: method, route, path parameters, canonical body and actor. A key that comes back
 * with another hash is a reuse; the same body written in another key order is the same request.
 */
export function hashRequest(request: { method: string; route: string; params: unknown; body: unknown; actor: Actor }): string {
  const { method, route, params, body, actor } = request;
  return createHash('sha256')
    .update(canonicalJson({ method, route, params: params ?? {}, body: body ?? {}, actor }))
    .digest('hex');
}

/**
 * The request hash of a command the service issues itself in reaction to an event: there is no request, and its
 * key names its cause, so the key stands for the request.
 */
export function hashReaction(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex');
}

/**
 * JSON with object keys sorted, so that the same body written in another key order hashes the same. Written in
 * one pass into one string (the request hash is computed for every command); the text is exactly the one the
 * hashes already stored were computed from, as the property test against the former definition checks.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      return JSON.stringify(value) ?? 'null';
  }
}

function canonicalArray(values: unknown[]): string {
  let text = '[';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) text += ',';
    // A hole reads as nothing between its commas, as `Array.prototype.map` followed by `join` wrote it.
    if (index in values) text += canonicalJson(values[index]);
  }
  return text + ']';
}

function canonicalObject(object: Record<string, unknown>): string {
  // Default sort order is by UTF-16 code units, the order of `<` on strings.
  const keys = Object.keys(object).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return text + '}';
}
