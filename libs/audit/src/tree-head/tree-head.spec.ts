import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { keyIdOf, SignedTreeHead, signTreeHead, treeHeadSigningInput, verifyTreeHead } from './tree-head';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const head = { treeSize: 42, rootHash: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', timestamp: '2026-11-30T12:34:56.789Z' };

describe('tree heads', () => {
  it('signs exactly the documented text', () => {
    expect(treeHeadSigningInput(head).toString('utf8')).toBe(
      'escrow-ledger tree head v1\n42\nd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7\n2026-11-30T12:34:56.789Z\n',
    );
  });

  it('names a key by the SHA-256 of its SPKI DER, the same from either half', () => {
    const expected = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    expect(keyIdOf(publicKey)).toBe(expected);
    expect(keyIdOf(privateKey)).toBe(expected);
    expect(keyIdOf(createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })))).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a signed head verifies with its key, also after a JSON round trip and from the PEM', () => {
    const signed = signTreeHead(head, privateKey);
    expect(signed).toEqual({ ...head, signature: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/), keyId: keyIdOf(publicKey) });
    const saved = JSON.parse(JSON.stringify(signed)) as SignedTreeHead;
    const fromPem = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
    expect(verifyTreeHead(saved, fromPem)).toBe(true);
  });

  it.each([
    ['a changed tree size', { treeSize: 43 }],
    ['a changed root hash', { rootHash: head.rootHash.replace(/^d/, 'e') }],
    ['a changed timestamp', { timestamp: '2026-11-30T12:34:56.790Z' }],
    ['a root hash in upper case', { rootHash: head.rootHash.toUpperCase() }],
    ['a timestamp without milliseconds', { timestamp: '2026-11-30T12:34:56Z' }],
    ['a negative tree size', { treeSize: -1 }],
  ])('%s fails', (_name, change) => {
    expect(verifyTreeHead({ ...signTreeHead(head, privateKey), ...change }, publicKey)).toBe(false);
  });

  it('another key fails, whether the keyId is left as signed or names the other key', () => {
    const signed = signTreeHead(head, privateKey);
    expect(verifyTreeHead(signed, other.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, keyId: keyIdOf(other.publicKey) }, other.publicKey)).toBe(false);
  });

  it('a keyId that does not name the key fails even with a good signature', () => {
    const signed = signTreeHead(head, privateKey);
    expect(verifyTreeHead({ ...signed, keyId: '0'.repeat(64) }, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, keyId: signed.keyId.toUpperCase() }, publicKey)).toBe(false);
  });

  it('a truncated, padded, non-canonical or altered signature fails', () => {
    const signed = signTreeHead(head, privateKey);
    const bytes = Buffer.from(signed.signature, 'base64');
    expect(verifyTreeHead({ ...signed, signature: bytes.subarray(0, 63).toString('base64') }, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, signature: signed.signature.slice(0, -4) }, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, signature: Buffer.concat([bytes, Buffer.from([0])]).toString('base64') }, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, signature: signed.signature.replace(/==$/, '') }, publicKey)).toBe(false);
    expect(verifyTreeHead({ ...signed, signature: `${signed.signature}\n` }, publicKey)).toBe(false);
    const altered = Buffer.from(bytes);
    altered[10] ^= 1;
    expect(verifyTreeHead({ ...signed, signature: altered.toString('base64') }, publicKey)).toBe(false);
  });

  it('refuses to sign a head whose fields would make the signed text ambiguous, or with a key that is not Ed25519', () => {
    expect(() => signTreeHead({ ...head, timestamp: '2026-11-30T12:34:56.789Z\n1' }, privateKey)).toThrow();
    expect(() => signTreeHead({ ...head, treeSize: 1.5 }, privateKey)).toThrow();
    const ecKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => signTreeHead(head, ecKey)).toThrow(TypeError);
    expect(() => signTreeHead(head, publicKey)).toThrow(TypeError);
    expect(verifyTreeHead(signTreeHead(head, privateKey), privateKey)).toBe(false);
  });
});
