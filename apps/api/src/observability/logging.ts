import pino, { Logger as PinoInstance, LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config';

/**
 * Fields never written to the log whatever carries them: credentials of the calling services, configuration
 * secrets, and bank account numbers. The access lines name no header and no body; these paths guard the
 * objects a log call might be handed (a request, an error with its request, a configuration).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.tokens',
  '*.apiClients',
  '*.API_CLIENTS',
  '*.API_TOKENS',
  '*.derivedIdKey',
  '*.bankFingerprintKey',
  '*.DERIVED_ID_KEY',
  '*.BANK_FINGERPRINT_KEY',
  '*.signingKey',
  // The configuration's `audit.signingKey`, wherever the configuration is logged.
  '*.*.signingKey',
  '*.privateKey',
  '*.AUDIT_SIGNING_KEY',
  'signingKey',
  'privateKey',
  'AUDIT_SIGNING_KEY',
  '*.accountNumber',
  '*.password',
  'authorization',
  'token',
  'tokens',
  'accountNumber',
  'apiClients',
  'body',
  '*.body',
];

/** Text a message may quote by accident: a private key, a bearer token, a JSON account number, API_CLIENTS tokens. */
const SECRET_TEXT: [RegExp, string][] = [
  // A private key in PEM (the tree heads' signing key), whole or cut short, with its line breaks real or written as \n.
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]'],
  [/(bearer\s+)[\x21-\x7e]+/gi, '$1[REDACTED]'],
  // The whole value, a scheme before it included, so that `Authorization: Bearer x` keeps neither.
  [/("?(?:accountNumber|token|tokens|authorization|password)"?\s*[:=]\s*)((?:bearer\s+)?(?:"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^\s,}]+))/gi, '$1"[REDACTED]"'],
];

export function scrubSecrets(text: string): string {
  return SECRET_TEXT.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}

/**
 * Pino's options for the service: one JSON object per line, ISO times, level names (not numbers), no colour,
 * secrets redacted by path and scrubbed from messages.
 */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'escrow-ledger', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
}

let stdout: pino.DestinationStream | undefined;

/**
 * A root logger of the service, writing synchronously to stdout (one destination per process, however many
 * applications it builds) so that nothing is lost when the process exits.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>, destination?: pino.DestinationStream): PinoInstance {
  stdout ??= pino.destination({ fd: 1, sync: true });
  return pino(loggerOptions(config), destination ?? stdout);
}

/**
 * Problem codes that are no fault of the service though their status is 5xx: a read asked ahead of the read models, a
 * stream asked of a stopping instance, an export asked while as many as it runs at once are running.
 */
const CLIENT_CAUSED_5XX_CODES = new Set(['PROJECTION_BEHIND', 'SHUTTING_DOWN', 'EXPORTS_BUSY']);

/**
 * The level of a request's access line: answers at info; refusals of the caller's credentials at warn; other
 * client errors at info (the caller's to fix, not the operator's); server faults at error.
 */
export function accessLevel(status: number, code: string | undefined): 'info' | 'warn' | 'error' {
  if (status >= 500) return code !== undefined && CLIENT_CAUSED_5XX_CODES.has(code) ? 'warn' : 'error';
  if (status === 401 || status === 403) return 'warn';
  return 'info';
}

/** Whether an error answered with this problem is a fault of the service (logged with its stack), not the caller's. */
export function isServerFault(problem: { status: number; code: string }): boolean {
  return accessLevel(problem.status, problem.code) === 'error';
}
