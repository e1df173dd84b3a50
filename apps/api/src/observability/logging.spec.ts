import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/app-config';
import { accessLevel, createRootLogger, isServerFault, scrubSecrets } from './logging';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text, lines: () => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the service log', () => {
  it('writes one JSON object per line with an ISO time and the level by name', () => {
    const out = capture();
    createRootLogger({ logLevel: 'info' }, out.stream).info({ context: 'Test' }, 'hello');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 'info', msg: 'hello', context: 'Test', service: 'escrow-ledger', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);
  });

  it('redacts credentials, configuration secrets and account numbers wherever a logged object carries them', () => {
    const out = capture();
    createRootLogger({ logLevel: 'info' }, out.stream).warn(
      {
        req: { headers: { authorization: 'Bearer abcdefghijklmnopqrstuvwxyz0123456789' } },
        config: { apiClients: [{ id: 'job-board', tokens: ['secret-token-0123456789abcdefghijkl'] }], bankFingerprintKey: 'k'.repeat(40) },
        bankAccount: { accountNumber: '7654321' },
      },
      'with secrets',
    );
    expect(out.text()).not.toMatch(/abcdefghijklmnop|secret-token|kkkkkkkk|7654321/);
    expect(out.lines()[0]).toMatchObject({ req: { headers: { authorization: '[REDACTED]' } }, bankAccount: { accountNumber: '[REDACTED]' } });
  });

  it('never writes the tree heads\' signing key: not from the configuration, the environment, nor a message quoting its PEM', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = pem.split('\n')[1];
    const env = { DATA_DIR: '/tmp/escrow-logging', AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') };
    const config = loadConfig(env);
    const out = capture();
    const logger = createRootLogger({ logLevel: 'info' }, out.stream);
    logger.info({ config, env }, 'starting');
    logger.info({ key: { privateKey: pem, signingKey: pem } }, 'nested');
    logger.error(`AUDIT_SIGNING_KEY=${pem} could not be read`);
    logger.error(`cut short: ${pem.slice(0, 60)}`);
    logger.error(`one line: ${pem.replace(/\n/g, '\\n')}`);
    expect(out.lines()).toHaveLength(5);
    expect(out.text()).not.toContain(body);
    expect(out.text()).not.toContain(body.slice(0, 24));
    expect(out.lines()[0]).toMatchObject({ env: { AUDIT_SIGNING_KEY: '[REDACTED]' }, config: { audit: { signingKey: '[REDACTED]' } } });
    expect(scrubSecrets(`before ${pem}after`)).toBe('before [REDACTED PRIVATE KEY]\nafter');
  });

  it('scrubs a bearer token or an account number quoted in a message', () => {
    expect(scrubSecrets('sent Authorization: Bearer abc.def-123 then')).toBe('sent Authorization: "[REDACTED]" then');
    expect(scrubSecrets('retry with bearer abc.def-123')).toBe('retry with bearer [REDACTED]');
    expect(scrubSecrets('body {"bankCode":"0036","accountNumber":"7654321"}')).toBe('body {"bankCode":"0036","accountNumber":"[REDACTED]"}');
    const out = capture();
    createRootLogger({ logLevel: 'info' }, out.stream).error('failed with {"accountNumber":"1234567","token":"t-123"}');
    expect(out.text()).not.toMatch(/1234567|t-123/);
  });

  it('logs answers at info, refused credentials at warn, server faults at error, and a read ahead of the read models or a stream refused while stopping at warn', () => {
    expect([200, 201, 400, 404, 409, 412, 422].map((status) => accessLevel(status, undefined))).toEqual(Array(7).fill('info'));
    expect(accessLevel(401, 'UNAUTHENTICATED')).toBe('warn');
    expect(accessLevel(403, 'NOT_A_PARTY')).toBe('warn');
    expect(accessLevel(503, 'PROJECTION_BEHIND')).toBe('warn');
    expect(accessLevel(503, 'STORE_UNAVAILABLE')).toBe('error');
    expect(accessLevel(500, undefined)).toBe('error');
    expect(isServerFault({ status: 503, code: 'PROJECTION_BEHIND' })).toBe(false);
    expect(accessLevel(503, 'SHUTTING_DOWN')).toBe('warn');
    expect(isServerFault({ status: 503, code: 'SHUTTING_DOWN' })).toBe(false);
    expect(isServerFault({ status: 500, code: 'INTERNAL_ERROR' })).toBe(true);
    expect(accessLevel(503, 'EXPORTS_BUSY')).toBe('warn');
    expect(isServerFault({ status: 503, code: 'EXPORTS_BUSY' })).toBe(false);
  });

  it('writes nothing below its level', () => {
    const out = capture();
    const logger = createRootLogger({ logLevel: 'error' }, out.stream);
    logger.info('quiet');
    logger.warn('quiet');
    expect(out.text()).toBe('');
  });
});
