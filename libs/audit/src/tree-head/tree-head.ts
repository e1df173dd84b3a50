/**
 * Signed tree heads: a tree size, its root hash and a timestamp, signed with Ed25519. What is signed is a short
 * fixed text (treeHeadSigningInput), not JSON, so that an auditor can rebuild the exact bytes by hand.
 */

import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

export interface TreeHead {
  treeSize: number;
  /** 64 lower-case hex digits. */
  rootHash: string;
  /** ISO-8601 UTC with milliseconds and 'Z', e.g. 2026-11-30T12:00:00.000Z. */
  timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Base64 of the 64-byte Ed25519 signature of treeHeadSigningInput(head). */
  signature: string;
  /** 64 lower-case hex digits: keyIdOf the public key that checks the signature. */
  keyId: string;
}

export const TREE_HEAD_SIGNING_PREFIX = 'escrow-ledger tree head v1\n';

const HEX_HASH = /^[0-9a-f]{64}$/;
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ED25519_SIGNATURE_BYTES = 64;

/** A tree head whose fields could make the signed text ambiguous. */
export class MalformedTreeHeadError extends Error {}

/**
 * The exact bytes signed: UTF-8 of "escrow-ledger tree head v1\n" + treeSize (decimal) + "\n" + rootHash + "\n"
 * + timestamp + "\n". Fields are checked first, so no value can smuggle a newline or a second spelling.
 */
export function treeHeadSigningInput(head: TreeHead): Buffer {
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) throw new MalformedTreeHeadError(`treeSize must be a non-negative safe integer, got ${head.treeSize}`);
  if (typeof head.rootHash !== 'string' || !HEX_HASH.test(head.rootHash)) throw new MalformedTreeHeadError('rootHash must be 64 lower-case hex digits');
  if (typeof head.timestamp !== 'string' || !UTC_MILLIS.test(head.timestamp) || Number.isNaN(Date.parse(head.timestamp))) {
    throw new MalformedTreeHeadError('timestamp must be ISO-8601 UTC with milliseconds, e.g. 2026-11-30T12:00:00.000Z');
  }
  return Buffer.from(`${TREE_HEAD_SIGNING_PREFIX}${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n`, 'utf8');
}

/** Lower-case hex SHA-256 of the public key's SPKI DER encoding (a private key names its public half). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Signs a tree head with an Ed25519 private key. */
export function signTreeHead(head: TreeHead, privateKey: KeyObject): SignedTreeHead {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('tree heads are signed with an Ed25519 private key');
  const { treeSize, rootHash, timestamp } = head;
  const signature = sign(null, treeHeadSigningInput({ treeSize, rootHash, timestamp }), privateKey).toString('base64');
  return { treeSize, rootHash, timestamp, signature, keyId: keyIdOf(privateKey) };
}

/** Strict base64: the canonical encoding of exactly one 64-byte value, nothing else. */
function decodeSignature(signature: unknown): Buffer | undefined {
  if (typeof signature !== 'string') return undefined;
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === ED25519_SIGNATURE_BYTES && bytes.toString('base64') === signature ? bytes : undefined;
}

/**
 * True only when `head` is signed by `publicKey`: its keyId names that key, its fields are well formed, its
 * signature is strict base64 of 64 bytes and checks. Never throws on a malformed head.
 */
export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject): boolean {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') return false;
  if (head.keyId !== keyIdOf(publicKey)) return false;
  const signature = decodeSignature(head.signature);
  if (!signature) return false;
  let input: Buffer;
  try {
    input = treeHeadSigningInput(head);
  } catch (error) {
    if (error instanceof MalformedTreeHeadError) return false;
    throw error;
  }
  return verify(null, input, publicKey, signature);
}
