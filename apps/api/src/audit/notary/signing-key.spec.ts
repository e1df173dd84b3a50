import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf } from '@escrow/audit/tree-head/tree-head';
import { InvalidConfigError, loadConfig } from '../../config/app-config';
import { loadAuditSettings } from '../../config/audit-config';
import { DEVELOPMENT_SIGNING_KEY_FILE, loadSigningKey, SigningKeyFileError } from './signing-key';

const pemOf = (privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']) => privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('the tree-head signing key', () => {
  let dir: string;
  const logger = () => ({ warn: jest.fn() });

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'notary-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses AUDIT_SIGNING_KEY when configured (a PEM, also with its line breaks written as \\n), and creates no key file', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    for (const text of [pemOf(privateKey), pemOf(privateKey).replace(/\n/g, '\\n')]) {
      const problems: string[] = [];
      const settings = loadAuditSettings({ AUDIT_SIGNING_KEY: text, NODE_ENV: 'production' }, true, problems);
      expect(problems).toEqual([]);
      const warn = logger();
      const key = loadSigningKey(settings.signingKey, dir, warn as never);
      expect(key).toMatchObject({ source: 'configured', keyId: keyIdOf(publicKey) });
      expect(warn.warn).not.toHaveBeenCalled();
    }
    expect(() => statSync(join(dir, DEVELOPMENT_SIGNING_KEY_FILE))).toThrow();
  });

  it('without it, creates a development key in DATA_DIR (mode 0600) with a warning, and keeps using it', () => {
    const first = logger();
    const created = loadSigningKey(undefined, dir, first as never);
    const file = join(dir, DEVELOPMENT_SIGNING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(created.source).toBe('development');
    expect(first.warn).toHaveBeenCalledWith(expect.stringContaining(`AUDIT_SIGNING_KEY is not set: tree heads are signed with the development key created in ${file}`));
    const again = loadSigningKey(undefined, dir, logger() as never);
    expect(again.keyId).toBe(created.keyId);
    expect(again.keyId).toBe(keyIdOf(createPublicKey(again.publicKeyPem)));
  });

  it('refuses a kept key file that is not a whole Ed25519 key', () => {
    writeFileSync(join(dir, DEVELOPMENT_SIGNING_KEY_FILE), '-----BEGIN PRIVATE KEY-----\nMC4CAQ');
    expect(() => loadSigningKey(undefined, dir, logger() as never)).toThrow(SigningKeyFileError);
  });

  it('refuses to start in production without a key where heads are signed', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', BANK_FINGERPRINT_KEY: 'x'.repeat(32) })).toThrow(/AUDIT_SIGNING_KEY must be set when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', BANK_FINGERPRINT_KEY: 'x'.repeat(32), ROLE: 'api' })).not.toThrow(/AUDIT_SIGNING_KEY/);
    const problems: string[] = [];
    loadAuditSettings({ NODE_ENV: 'production' }, true, problems);
    expect(problems).toEqual([expect.stringContaining('AUDIT_SIGNING_KEY must be set when NODE_ENV=production')]);
    const apiOnly: string[] = [];
    loadAuditSettings({ NODE_ENV: 'production' }, false, apiOnly);
    expect(apiOnly).toEqual([]);
  });

  it('refuses a malformed key or a key of another kind, without ever echoing the key', () => {
    const rsa = pemOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
    const malformed = '-----BEGIN PRIVATE KEY-----\nsecret-material-not-a-key\n-----END PRIVATE KEY-----';
    for (const [text, expected] of [
      [malformed, 'AUDIT_SIGNING_KEY is not a private key in PEM'],
      [rsa, 'AUDIT_SIGNING_KEY must be an Ed25519 private key, got a key of type rsa'],
    ] as const) {
      let error: unknown;
      try {
        loadConfig({ AUDIT_SIGNING_KEY: text });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(InvalidConfigError);
      const message = (error as Error).message;
      expect(message).toContain(expected);
      expect(message).not.toContain('secret-material');
      expect(message).not.toContain(text.split('\n')[1]!);
    }
  });

  it('reads the head and tamper-check settings with their defaults and bounds', () => {
    const problems: string[] = [];
    expect(loadAuditSettings({}, true, problems)).toEqual({
      treeHeadEveryEvents: 10_000,
      treeHeadMaxDelayMs: 1000,
      verifyIntervalMs: 600_000,
      verifyRecent: 1000,
      verifySample: 200,
    });
    loadAuditSettings({ AUDIT_TREE_HEAD_EVERY_EVENTS: '0', AUDIT_TREE_HEAD_MAX_DELAY_MS: 'soon', AUDIT_VERIFY_SAMPLE: '-1' }, true, problems);
    expect(problems).toEqual([
      'AUDIT_TREE_HEAD_EVERY_EVENTS must be a whole number from 1 to 1000000000, got "0"',
      'AUDIT_TREE_HEAD_MAX_DELAY_MS must be a whole number from 10 to 86400000, got "soon"',
      'AUDIT_VERIFY_SAMPLE must be a whole number from 0 to 1000000, got "-1"',
    ]);
  });
});
