import { createHash } from 'node:crypto';
import { LEGACY_TOKENS_CLIENT_ID, parseAuthentication, tokenDigest } from './api-clients';

const TOKEN_A = 'job-board-token-0123456789abcdefghij';
const TOKEN_B = 'job-board-token-rotated-0123456789abc';
const clientsJson = (clients: unknown) => JSON.stringify(clients);

describe('calling services from API_CLIENTS', () => {
  it('reads each client with its roles and one or two tokens, plain or as a sha256 digest', () => {
    const digest = createHash('sha256').update(TOKEN_B).digest('hex');
    const { authentication, problems, warnings } = parseAuthentication({
      API_CLIENTS: clientsJson([
        { id: 'job-board', roles: ['user'], tokens: [TOKEN_A, `sha256:${digest}`] },
        { id: 'audit', roles: ['auditor'], tokens: ['audit-token-0123456789abcdefghijklmn'] },
      ]),
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(authentication.mode).toBe('clients');
    const [jobBoard, audit] = authentication.mode === 'clients' ? authentication.clients : [];
    expect(jobBoard).toMatchObject({ id: 'job-board', roles: ['user'] });
    expect(jobBoard.tokenDigests).toEqual([tokenDigest(TOKEN_A), tokenDigest(TOKEN_B)]);
    expect(audit.roles).toEqual(['auditor']);
  });

  it('names every problem without ever repeating a token', () => {
    const short = 'too-short-secret';
    const { problems } = parseAuthentication({
      API_CLIENTS: clientsJson([
        { id: '@escrow-ledger', roles: ['user'], tokens: [TOKEN_A] },
        { id: 'ops', roles: ['root'], tokens: [short] },
        { id: 'ops', roles: ['support'], tokens: [TOKEN_A, TOKEN_B, 'x'.repeat(40)], extra: true },
        'not-an-object',
      ]),
    });
    const text = problems.join('\n');
    expect(text).toMatch(/API_CLIENTS\[0\]\.id must be/);
    expect(text).toMatch(/client "ops": roles must be/);
    expect(text).toMatch(/client "ops": tokens\[0\] must be at least 32/);
    expect(text).toMatch(/API_CLIENTS\[2\]\.extra is not a known field/);
    expect(text).toMatch(/tokens must hold one or two tokens/);
    expect(text).toMatch(/API_CLIENTS\[3\] must be an object/);
    expect(text).not.toContain(short);
    expect(text).not.toContain(TOKEN_A);
  });

  it('refuses duplicate ids, a token shared by two clients, and malformed JSON', () => {
    const duplicate = parseAuthentication({
      API_CLIENTS: clientsJson([
        { id: 'a', roles: ['user'], tokens: [TOKEN_A] },
        { id: 'a', roles: ['system'], tokens: [TOKEN_B] },
        { id: 'b', roles: ['system'], tokens: [TOKEN_A] },
      ]),
    });
    expect(duplicate.problems.join('\n')).toMatch(/"a" is used twice/);
    expect(duplicate.problems.join('\n')).toMatch(/"b" shares a token/);
    expect(parseAuthentication({ API_CLIENTS: '[{' }).problems).toEqual([expect.stringMatching(/not valid JSON/)]);
    expect(parseAuthentication({ API_CLIENTS: '[]' }).problems).toEqual([expect.stringMatching(/non-empty JSON array/)]);
  });

  it('keeps API_TOKENS working as one client allowed every role, with a deprecation warning', () => {
    const { authentication, problems, warnings } = parseAuthentication({ API_TOKENS: 'legacy-token-0123456789' });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/API_TOKENS is deprecated/)]);
    expect(authentication).toMatchObject({ mode: 'clients', clients: [{ id: LEGACY_TOKENS_CLIENT_ID, roles: ['user', 'support', 'system', 'auditor'] }] });
    expect(parseAuthentication({ API_TOKENS: 'short' }).problems).toEqual([expect.stringMatching(/API_TOKENS entries must be at least 16/)]);
  });

  it('runs open without clients, except in production, where it refuses to start', () => {
    expect(parseAuthentication({}).authentication).toEqual({ mode: 'open' });
    expect(parseAuthentication({ NODE_ENV: 'production' }).problems).toEqual([expect.stringMatching(/API_CLIENTS must configure the calling services when NODE_ENV=production/)]);
    expect(parseAuthentication({ NODE_ENV: 'production', API_CLIENTS: clientsJson([{ id: 'a', roles: ['user'], tokens: [TOKEN_A] }]) }).problems).toEqual([]);
  });
});
