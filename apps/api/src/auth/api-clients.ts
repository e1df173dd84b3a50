import { createHash } from 'node:crypto';
import { ACTOR_ROLES, ActorRole } from '@escrow/domain/shared/actor';

/** A calling service: who it is, the roles it may assert for its actors, and the digests of its tokens. */
export interface ApiClient {
  id: string;
  roles: readonly ActorRole[];
  /** SHA-256 digests of the bearer tokens it may present (two at once while a token is rotated). */
  tokenDigests: readonly Buffer[];
}

/** How requests are authenticated: by configured clients, or not at all (development only). */
export type Authentication = { mode: 'clients'; clients: readonly ApiClient[] } | { mode: 'open' };

/** The caller every request is attributed to while authentication is off. */
export const DEVELOPMENT_CLIENT: ApiClient = { id: 'development', roles: ACTOR_ROLES, tokenDigests: [] };

/**
 * The calling service the service's own processes (wallet credits and other process managers) act as. No
 * configured client can have this id, so their idempotency keys live in a namespace no HTTP caller can write.
 */
export const SERVICE_ITSELF = '@escrow-ledger';

/** The client the legacy API_TOKENS setting stands for: every role, as it had before clients existed. */
export const LEGACY_TOKENS_CLIENT_ID = 'legacy-api-tokens';

/**
 * Client ids are letters, digits, ".", "_" and "-", starting with a letter or digit; the service's own
 * processes act under ids outside this pattern, so no configured client can write into their namespace.
 */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN_DIGEST = /^sha256:([0-9a-f]{64})$/;
export const MIN_TOKEN_LENGTH = 32;
export const MIN_LEGACY_TOKEN_LENGTH = 16;

export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export interface ParsedAuthentication {
  authentication: Authentication;
  problems: string[];
  warnings: string[];
}

/**
 * Reads API_CLIENTS (a JSON array of {id, roles, tokens}) and the deprecated API_TOKENS. A token is either
 * the token itself (at least 32 characters) or `sha256:<hex>`, the digest of one, so that plain tokens
 * need not sit in the environment. Every problem is reported, never the token text.
 */
export function parseAuthentication(env: { API_CLIENTS?: string; API_TOKENS?: string; NODE_ENV?: string }): ParsedAuthentication {
  const problems: string[] = [];
  const warnings: string[] = [];
  const clients: ApiClient[] = [];

  const clientsText = env.API_CLIENTS?.trim();
  if (clientsText) clients.push(...parseClients(clientsText, problems));

  const legacyTokens = (env.API_TOKENS ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  if (legacyTokens.length > 0) {
    if (legacyTokens.some((token) => token.length < MIN_LEGACY_TOKEN_LENGTH)) {
      problems.push(`API_TOKENS entries must be at least ${MIN_LEGACY_TOKEN_LENGTH} characters long`);
    }
    warnings.push(
      `API_TOKENS is deprecated and will be removed in the next release: its tokens act as client "${LEGACY_TOKENS_CLIENT_ID}", ` +
        'which may assert every role. Configure each calling service in API_CLIENTS instead.',
    );
    clients.push({ id: LEGACY_TOKENS_CLIENT_ID, roles: ACTOR_ROLES, tokenDigests: legacyTokens.map(tokenDigest) });
  }

  const seenIds = new Set<string>();
  const seenDigests = new Set<string>();
  for (const client of clients) {
    if (seenIds.has(client.id)) problems.push(`API_CLIENTS: client id "${client.id}" is used twice`);
    seenIds.add(client.id);
    for (const digest of client.tokenDigests) {
      const hex = digest.toString('hex');
      if (seenDigests.has(hex)) problems.push(`API_CLIENTS: client "${client.id}" shares a token with another client`);
      seenDigests.add(hex);
    }
  }

  if (clients.length === 0 && env.NODE_ENV === 'production') {
    problems.push('API_CLIENTS must configure the calling services when NODE_ENV=production (authentication cannot be off in production)');
  }
  return { authentication: clients.length > 0 ? { mode: 'clients', clients } : { mode: 'open' }, problems, warnings };
}

function parseClients(text: string, problems: string[]): ApiClient[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('API_CLIENTS must be a JSON array of {"id", "roles", "tokens"} objects (it is not valid JSON)');
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push('API_CLIENTS must be a non-empty JSON array of {"id", "roles", "tokens"} objects');
    return [];
  }
  const clients: ApiClient[] = [];
  parsed.forEach((entry: unknown, index) => {
    const client = parseClient(entry, `API_CLIENTS[${index}]`, problems);
    if (client) clients.push(client);
  });
  return clients;
}

function parseClient(entry: unknown, where: string, problems: string[]): ApiClient | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    problems.push(`${where} must be an object with id, roles and tokens`);
    return undefined;
  }
  const { id, roles, tokens, ...unknown } = entry as Record<string, unknown>;
  const before = problems.length;
  for (const field of Object.keys(unknown)) problems.push(`${where}.${field} is not a known field (id, roles, tokens)`);
  if (typeof id !== 'string' || !CLIENT_ID.test(id)) {
    problems.push(`${where}.id must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  const label = typeof id === 'string' && CLIENT_ID.test(id) ? `client "${id}"` : where;
  if (!Array.isArray(roles) || roles.length === 0 || roles.some((role) => !(ACTOR_ROLES as readonly unknown[]).includes(role))) {
    problems.push(`${label}: roles must be a non-empty array of ${ACTOR_ROLES.join(', ')}`);
  }
  const digests: Buffer[] = [];
  if (!Array.isArray(tokens) || tokens.length < 1 || tokens.length > 2) {
    problems.push(`${label}: tokens must hold one or two tokens (two while rotating)`);
  } else {
    tokens.forEach((token: unknown, index) => {
      const digest = typeof token === 'string' ? TOKEN_DIGEST.exec(token) : null;
      if (digest) digests.push(Buffer.from(digest[1], 'hex'));
      else if (typeof token === 'string' && token.length >= MIN_TOKEN_LENGTH && /^[\x21-\x7e]+$/.test(token)) digests.push(tokenDigest(token));
      else problems.push(`${label}: tokens[${index}] must be at least ${MIN_TOKEN_LENGTH} visible ASCII characters, or sha256:<64 hex digits>`);
    });
  }
  if (problems.length > before) return undefined;
  return { id: id as string, roles: [...new Set(roles as ActorRole[])], tokenDigests: digests };
}
