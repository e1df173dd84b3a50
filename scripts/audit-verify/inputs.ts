/** Reading the verifier's inputs: saved tree heads (the JSON of GET /v1/audit/tree-head) and public keys. */

import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { keyIdOf, SignedTreeHead, verifyTreeHead } from '@escrow/audit';

/** An input the verifier cannot use; the message names the file and what is wrong. */
export class InputError extends Error {}

const HEX_64 = /^[0-9a-f]{64}$/;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read the ${what} (${(error as Error).message})`);
  }
}

/** A saved tree head: {treeSize, rootHash, timestamp, signature, keyId}, other members ignored. */
export function readTreeHead(file: string): SignedTreeHead {
  let value: unknown;
  try {
    value = JSON.parse(readText(file, 'tree head'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: the tree head is not JSON`);
  }
  const head = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof head.treeSize !== 'number' || !Number.isSafeInteger(head.treeSize) || head.treeSize < 0) problems.push('treeSize is not a non-negative integer');
  if (typeof head.rootHash !== 'string' || !HEX_64.test(head.rootHash)) problems.push('rootHash is not 64 lower-case hex digits');
  if (typeof head.keyId !== 'string' || !HEX_64.test(head.keyId)) problems.push('keyId is not 64 lower-case hex digits');
  for (const member of ['timestamp', 'signature']) if (typeof head[member] !== 'string') problems.push(`${member} is not a string`);
  if (problems.length > 0) throw new InputError(`${file}: not a tree head: ${problems.join('; ')}`);
  const { treeSize, rootHash, timestamp, signature, keyId } = head as unknown as SignedTreeHead;
  return { treeSize, rootHash, timestamp, signature, keyId };
}

/** Public keys by keyId, from PEM files (or the JSON of GET /v1/audit/public-key). */
export function readPublicKeys(files: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const file of files) {
    const text = readText(file, 'public key');
    let pem = text;
    if (text.trimStart().startsWith('{')) {
      const parsed = JSON.parse(text) as { publicKeyPem?: unknown };
      if (typeof parsed.publicKeyPem !== 'string') throw new InputError(`${file}: no publicKeyPem member`);
      pem = parsed.publicKeyPem;
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new InputError(`${file}: not a public key in PEM`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new InputError(`${file}: an ${key.asymmetricKeyType} key, tree heads are signed with Ed25519`);
    keys.set(keyIdOf(key), key);
  }
  return keys;
}

/** Why a head's signature does not check, or undefined when it does. */
export function signatureProblem(head: SignedTreeHead, keys: ReadonlyMap<string, KeyObject>): string | undefined {
  const key = keys.get(head.keyId);
  if (key === undefined) return `signed by key ${head.keyId}, which is none of the public keys given (${[...keys.keys()].join(', ') || 'none'})`;
  return verifyTreeHead(head, key) ? undefined : `its signature does not verify with key ${head.keyId}`;
}

export const describeHead = (head: SignedTreeHead): string => `the tree head of size ${head.treeSize} (root ${head.rootHash}, ${head.timestamp})`;
