import { createPrivateKey, KeyObject } from 'node:crypto';

/** The notary's settings (see docs/operations.md). */
export interface AuditSettings {
  /** AUDIT_SIGNING_KEY: the Ed25519 private key that signs tree heads; undefined: a development key kept in DATA_DIR. */
  signingKey?: KeyObject;
  /** A tree head is published once this many notarised events are not covered by one. */
  treeHeadEveryEvents: number;
  /** ... or once the oldest event not covered by a head has waited this long. */
  treeHeadMaxDelayMs: number;
  /** Time between two tamper checks. */
  verifyIntervalMs: number;
  /** Notarised events at the end of the log that every tamper check hashes again. */
  verifyRecent: number;
  /** Older notarised events each tamper check picks at random and hashes again. */
  verifySample: number;
}

export const DEFAULT_AUDIT_SETTINGS: Omit<AuditSettings, 'signingKey'> = {
  treeHeadEveryEvents: 10_000,
  treeHeadMaxDelayMs: 1_000,
  verifyIntervalMs: 600_000,
  verifyRecent: 1_000,
  verifySample: 200,
};

/**
 * Reads the AUDIT_* settings, adding each problem to `problems`. The key's text never appears in a message: a
 * malformed key is named as such, a key of another kind by its kind. Without a key, a process that signs (the
 * roles that run the processors) refuses to start in production: a key created on the machine would make every
 * head depend on a file nobody backs up nor publishes.
 */
export function loadAuditSettings(env: NodeJS.ProcessEnv, signs: boolean, problems: string[]): AuditSettings {
  const signingKey = parseSigningKey(env.AUDIT_SIGNING_KEY, problems);
  if (signingKey === undefined && signs && env.NODE_ENV === 'production' && env.AUDIT_SIGNING_KEY === undefined) {
    problems.push('AUDIT_SIGNING_KEY must be set when NODE_ENV=production (an Ed25519 private key in PEM: the key that signs the tree heads auditors keep)');
  }
  const number = (name: string, fallback: number, min: number, max: number) => {
    const text = env[name] ?? String(fallback);
    const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) problems.push(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
    return value;
  };
  return {
    ...(signingKey ? { signingKey } : {}),
    treeHeadEveryEvents: number('AUDIT_TREE_HEAD_EVERY_EVENTS', DEFAULT_AUDIT_SETTINGS.treeHeadEveryEvents, 1, 1_000_000_000),
    treeHeadMaxDelayMs: number('AUDIT_TREE_HEAD_MAX_DELAY_MS', DEFAULT_AUDIT_SETTINGS.treeHeadMaxDelayMs, 10, 86_400_000),
    verifyIntervalMs: number('AUDIT_VERIFY_INTERVAL_MS', DEFAULT_AUDIT_SETTINGS.verifyIntervalMs, 1_000, 604_800_000),
    verifyRecent: number('AUDIT_VERIFY_RECENT', DEFAULT_AUDIT_SETTINGS.verifyRecent, 0, 10_000_000),
    verifySample: number('AUDIT_VERIFY_SAMPLE', DEFAULT_AUDIT_SETTINGS.verifySample, 0, 1_000_000),
  };
}

function parseSigningKey(text: string | undefined, problems: string[]): KeyObject | undefined {
  if (text === undefined) return undefined;
  // Environments often carry a PEM on one line with its line breaks written as \n.
  const pem = text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    problems.push('AUDIT_SIGNING_KEY is not a private key in PEM (-----BEGIN PRIVATE KEY-----): it could not be read');
    return undefined;
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    problems.push(`AUDIT_SIGNING_KEY must be an Ed25519 private key, got a key of type ${key.asymmetricKeyType ?? 'unknown'}`);
    return undefined;
  }
  return key;
}
