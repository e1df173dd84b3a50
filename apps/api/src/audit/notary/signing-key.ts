/**
 * The key that signs tree heads: AUDIT_SIGNING_KEY (checked by the configuration), or without it a development
 * key kept in DATA_DIR, created on the first start and read at every start after. The private key never leaves
 * this process and is never logged; its public half is published with every head (`notary_keys`).
 */

import { Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from '@escrow/audit/tree-head/tree-head';
import { createSecretFileOnce } from '../../store/secret-file';

/** Where the development key is kept when AUDIT_SIGNING_KEY is not configured. */
export const DEVELOPMENT_SIGNING_KEY_FILE = 'notary-signing-key.pem';

export interface NotarySigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
  /** `configured`: AUDIT_SIGNING_KEY; `development`: the key file in DATA_DIR. */
  source: 'configured' | 'development';
}

/** The kept key file is not a whole Ed25519 private key. */
export class SigningKeyFileError extends Error {
  constructor(file: string, what: string) {
    super(
      `${file} does not hold an Ed25519 private key in PEM (${what}): it was damaged, or left empty by a start killed while creating it. ` +
        'Restore it from a backup, or set AUDIT_SIGNING_KEY to the key the service has signed with.',
    );
    this.name = 'SigningKeyFileError';
  }
}

export function signingKeyOf(privateKey: KeyObject, source: NotarySigningKey['source']): NotarySigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey), source };
}

/** The configured key, or the development key in `dataDir` (created with a warning when absent). */
export function loadSigningKey(configured: KeyObject | undefined, dataDir: string, logger = new Logger('Notary')): NotarySigningKey {
  if (configured !== undefined) return signingKeyOf(configured, 'configured');
  const file = join(dataDir, DEVELOPMENT_SIGNING_KEY_FILE);
  const created = existsSync(file) ? false : createKeyFile(file);
  const key = signingKeyOf(readKeyFile(file), 'development');
  logger.warn(
    `AUDIT_SIGNING_KEY is not set: tree heads are signed with the development key ${created ? 'created in' : 'kept in'} ${file} (key id ${key.keyId}). ` +
      'Set AUDIT_SIGNING_KEY to an Ed25519 private key in PEM for any log whose heads auditors rely on.',
  );
  return key;
}

function readKeyFile(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: readFileSync(file, 'utf8'), format: 'pem' });
  } catch {
    throw new SigningKeyFileError(file, 'it cannot be read as a private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyFileError(file, `it holds a key of type ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

function createKeyFile(file: string): boolean {
  const { privateKey } = generateKeyPairSync('ed25519');
  return createSecretFileOnce(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}
