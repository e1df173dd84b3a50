import { isAbsolute, resolve } from 'node:path';
import { HttpLimits, loadHttpLimits } from './http-limits';

export type EventStoreKind = 'sqlite' | 'eventstoredb';
export type ProjectionsMode = 'embedded' | 'off';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: EventStoreKind;
  eventStoreConnectionString?: string;
  /** Bearer tokens accepted from calling services; empty means authentication is off (development). */
  apiTokens: string[];
  projections: ProjectionsMode;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Secret of the HMAC-SHA256 bank account fingerprints (BANK_FINGERPRINT_KEY); the development default when unset. */
  bankFingerprintKey: string;
  /** Bank code of the partner bank whose transfers cost the lower fee. */
  partnerBankCode: string;
  /** Timeouts, connection cap and request size limits of the HTTP server (see http-limits.ts). */
  http: HttpLimits;
}

/** Used when BANK_FINGERPRINT_KEY is not set; fine for development, never for production (a warning is logged). */
export const DEVELOPMENT_BANK_FINGERPRINT_KEY = 'development-only-bank-fingerprint-key';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads the service configuration from the environment; every problem is reported at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];

  const portText = env.PORT ?? '3000';
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${portText}"`);
  }

  const dataDirText = env.DATA_DIR ?? './data';
  if (dataDirText.trim() === '') problems.push('DATA_DIR must not be empty');
  const dataDir = isAbsolute(dataDirText) ? dataDirText : resolve(process.cwd(), dataDirText);

  const eventStoreText = env.EVENT_STORE ?? 'sqlite';
  if (eventStoreText !== 'sqlite' && eventStoreText !== 'eventstoredb') {
    problems.push(`EVENT_STORE must be "sqlite" or "eventstoredb", got "${eventStoreText}"`);
  }
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim() || undefined;
  if (eventStoreText === 'eventstoredb' && !connectionString) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb');
  }
  if (connectionString && !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(connectionString)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb://, esdb+discover://, kurrentdb:// or kdb://');
  }
  if (connectionString && eventStoreText === 'sqlite') {
    problems.push('EVENTSTORE_CONNECTION_STRING is set but EVENT_STORE is "sqlite": set EVENT_STORE=eventstoredb or remove it');
  }

  const apiTokens = (env.API_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (apiTokens.some((t) => t.length < 16)) problems.push('API_TOKENS entries must be at least 16 characters long');

  const projectionsText = env.PROJECTIONS ?? 'embedded';
  if (projectionsText !== 'embedded' && projectionsText !== 'off') {
    problems.push(`PROJECTIONS must be "embedded" or "off", got "${projectionsText}"`);
  }

  const logLevelText = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelText)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelText}"`);
  }

  if (env.BANK_FINGERPRINT_KEY !== undefined && env.BANK_FINGERPRINT_KEY.trim().length < 32) {
    problems.push('BANK_FINGERPRINT_KEY must be at least 32 characters long');
  }

  const partnerBankCode = env.PARTNER_BANK_CODE ?? '0036';
  if (!/^\d{4}$/.test(partnerBankCode)) problems.push(`PARTNER_BANK_CODE must be a 4-digit bank code, got "${partnerBankCode}"`);

  const http = loadHttpLimits(env);
  problems.push(...http.problems);

  if (problems.length > 0) throw new InvalidConfigError(problems);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    eventStore: eventStoreText as EventStoreKind,
    eventStoreConnectionString: connectionString,
    apiTokens,
    projections: projectionsText as ProjectionsMode,
    logLevel: logLevelText as AppConfig['logLevel'],
    bankFingerprintKey: env.BANK_FINGERPRINT_KEY?.trim() || DEVELOPMENT_BANK_FINGERPRINT_KEY,
    partnerBankCode,
    http: http.limits,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
