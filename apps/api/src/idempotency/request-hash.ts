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

/** JSON with object keys sorted, so that the same body written in another key order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
