import { isAbsolute, join, resolve } from 'node:path';
import { InvalidDurationError, parseIsoDuration } from '@escrow/clock';
import { Authentication, parseAuthentication } from '../auth/api-clients';
import { AuditSettings, loadAuditSettings } from './audit-config';
import { HttpLimits, loadHttpLimits } from './http-limits';
import { loadSchedulerSettings, SchedulerSettings } from './settlement-config';

export type EventStoreKind = 'sqlite' | 'eventstoredb';
export type ProjectionsMode = 'embedded' | 'off';
export type ProcessorsThread = 'worker' | 'main';
/**
 * What this process does: `all` serves the API and runs the processors (projections and reactors); `api`
 * serves the API and runs no processor (its queries read read models another process keeps); `processors`
 * runs the processors and serves only /health.
 */
export const PROCESS_ROLES = ['all', 'api', 'processors'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStore: EventStoreKind;
  eventStoreConnectionString?: string;
  /** The calling services (API_CLIENTS, and the deprecated API_TOKENS); `open` means authentication is off (development). */
  authentication: Authentication;
  /** Secret of the HMAC that derives ids from idempotency keys (DERIVED_ID_KEY); undefined: one kept in DATA_DIR. */
  derivedIdKey?: string;
  /** How long a recorded response to an Idempotency-Key is kept, at least 24 hours. */
  idempotencyRetentionHours: number;
  /** What the operator should know about the configuration, logged at start. */
  warnings: string[];
  /** ROLE; `PROJECTIONS=off` alone means `api`. */
  role: ProcessRole;
  /** Whether this process runs the processors: `embedded` for the roles `all` and `processors`, `off` for `api`. */
  projections: ProjectionsMode;
  /**
   * PROCESSORS_THREAD: where `ROLE=all` runs the projections. `worker` (the default with the embedded store):
   * on a worker thread of their own, woken by each commit; `main`: on the thread that serves the API. The
   * reactors and the timers issue commands, so they stay on the main thread either way.
   */
  processorsThread: ProcessorsThread;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Secret of the HMAC-SHA256 bank account fingerprints (BANK_FINGERPRINT_KEY); the development default when unset. */
  bankFingerprintKey: string;
  /** Bank code of the partner bank whose transfers cost the lower fee. */
  partnerBankCode: string;
  /** Timeouts, connection cap and request size limits of the HTTP server (see http-limits.ts). */
  http: HttpLimits;
  /** Most events a processor running here may be behind the log's head for /health/ready to answer 200. */
  readyMaxLagEvents: number;
  /** Streamed exports (NDJSON events, journal CSV) this process runs at once; more are refused with 503 EXPORTS_BUSY. */
  exportMaxConcurrent: number;
  /** On SIGTERM, how long requests in flight may take before their connections are cut and the process exits. */
  shutdownGraceMs: number;
  /** The notary: signing key, when heads are published, the tamper checks (see audit-config.ts). */
  audit: AuditSettings;
  /** CLOCK_OFFSET: how far the service's clock runs from the system's, in milliseconds (0 unless set; never in production). */
  clockOffsetMs: number;
  /** The timers: the settlement policy and the scheduler's polling (see settlement-config.ts). */
  scheduler: SchedulerSettings;
  /** CONSOLE_DIR: the built support console served at /console (`npm run build` writes it to dist/console). */
  consoleDir: string;
}

/** Used when BANK_FINGERPRINT_KEY is not set; fine for development, never for production (a warning is logged). */
export const DEVELOPMENT_BANK_FINGERPRINT_KEY = 'development-only-bank-fingerprint-key';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

export const MIN_IDEMPOTENCY_RETENTION_HOURS = 24;
export const DEFAULT_IDEMPOTENCY_RETENTION_HOURS = 48;

export const DEFAULT_READY_MAX_LAG_EVENTS = 10_000;
export const DEFAULT_EXPORT_MAX_CONCURRENT = 4;
/** Below Docker's and Kubernetes' default 10 s between SIGTERM and SIGKILL, with room to close the storage. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;

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
  if (connectionString) problems.push(...connectionStringProblems(connectionString));
  if (connectionString && eventStoreText === 'sqlite') {
    problems.push('EVENTSTORE_CONNECTION_STRING is set but EVENT_STORE is "sqlite": set EVENT_STORE=eventstoredb or remove it');
  }

  const { authentication, problems: authenticationProblems, warnings } = parseAuthentication(env);
  problems.push(...authenticationProblems);

  const derivedIdKey = env.DERIVED_ID_KEY?.trim() || undefined;
  if (derivedIdKey !== undefined && derivedIdKey.length < 32) problems.push('DERIVED_ID_KEY must be at least 32 characters long');
  // Replicas on one EventStoreDB must derive the same ids from a retried key; a key file per machine would not.
  if (derivedIdKey === undefined && env.NODE_ENV === 'production' && eventStoreText === 'eventstoredb') {
    problems.push('DERIVED_ID_KEY must be set when NODE_ENV=production and EVENT_STORE=eventstoredb (every replica needs the same key)');
  }

  const retentionText = env.IDEMPOTENCY_RETENTION_HOURS ?? String(DEFAULT_IDEMPOTENCY_RETENTION_HOURS);
  const idempotencyRetentionHours = /^\d{1,6}$/.test(retentionText) ? Number(retentionText) : NaN;
  if (!(idempotencyRetentionHours >= MIN_IDEMPOTENCY_RETENTION_HOURS)) {
    problems.push(`IDEMPOTENCY_RETENTION_HOURS must be a whole number of hours, at least ${MIN_IDEMPOTENCY_RETENTION_HOURS}, got "${retentionText}"`);
  }

  const { role, problems: roleProblems } = parseRole(env);
  problems.push(...roleProblems);

  const processorsThread = parseProcessorsThread(env, role, eventStoreText, problems);

  const logLevelText = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelText)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelText}"`);
  }

  // With the public development key, a fingerprint gives the account number back in seconds (10^7 candidates).
  if (env.NODE_ENV === 'production' && !env.BANK_FINGERPRINT_KEY?.trim()) {
    problems.push('BANK_FINGERPRINT_KEY must be set when NODE_ENV=production (the development key would let anyone reading the log recover account numbers)');
  }
  if (env.BANK_FINGERPRINT_KEY !== undefined && env.BANK_FINGERPRINT_KEY.trim().length < 32) {
    problems.push('BANK_FINGERPRINT_KEY must be at least 32 characters long');
  }

  const partnerBankCode = env.PARTNER_BANK_CODE ?? '0036';
  if (!/^\d{4}$/.test(partnerBankCode)) problems.push(`PARTNER_BANK_CODE must be a 4-digit bank code, got "${partnerBankCode}"`);

  const http = loadHttpLimits(env);
  problems.push(...http.problems);

  const readyMaxLagEvents = wholeNumber(env, 'READY_MAX_LAG_EVENTS', DEFAULT_READY_MAX_LAG_EVENTS, 0, 1_000_000_000, problems);
  const exportMaxConcurrent = wholeNumber(env, 'EXPORT_MAX_CONCURRENT', DEFAULT_EXPORT_MAX_CONCURRENT, 1, 1000, problems);
  const shutdownGraceMs = wholeNumber(env, 'SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000, problems);
  const audit = loadAuditSettings(env, role !== 'api', problems);
  const clockOffsetMs = parseClockOffset(env, problems);
  const scheduler = loadSchedulerSettings(env, problems);

  if (problems.length > 0) throw new InvalidConfigError(problems);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    eventStore: eventStoreText as EventStoreKind,
    eventStoreConnectionString: connectionString,
    authentication,
    derivedIdKey,
    idempotencyRetentionHours,
    warnings,
    role,
    projections: role === 'api' ? 'off' : 'embedded',
    processorsThread,
    logLevel: logLevelText as AppConfig['logLevel'],
    bankFingerprintKey: env.BANK_FINGERPRINT_KEY?.trim() || DEVELOPMENT_BANK_FINGERPRINT_KEY,
    partnerBankCode,
    http: http.limits,
    readyMaxLagEvents,
    exportMaxConcurrent,
    shutdownGraceMs,
    audit,
    clockOffsetMs,
    scheduler,
    consoleDir: resolve(process.cwd(), env.CONSOLE_DIR?.trim() || join('dist', 'console')),
  };
}

/**
 * CLOCK_OFFSET shifts every instant the service decides and records by a fixed duration, for demonstrations
 * and black-box checks of rules that wait days. A shifted clock would date real money movements wrongly, so
 * production refuses it, whatever its value.
 */
function parseClockOffset(env: NodeJS.ProcessEnv, problems: string[]): number {
  const text = env.CLOCK_OFFSET;
  if (text === undefined || text === '') return 0;
  if (env.NODE_ENV === 'production') {
    problems.push('CLOCK_OFFSET must not be set when NODE_ENV=production (a shifted clock would date real payments wrongly)');
    return 0;
  }
  try {
    return parseIsoDuration(text);
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    problems.push(`CLOCK_OFFSET must be an ISO-8601 duration of days, hours, minutes and seconds, such as P8D, PT36H or -P1D (no years or months), got "${text}"`);
    return 0;
  }
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = env[name] ?? String(fallback);
  const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) problems.push(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** Schemes the pinned EventStoreDB client (`@eventstore/db-client` 6) parses; it throws at connect on any other. */
const CLIENT_SCHEMES = ['esdb', 'esdb+discover'];
/** KurrentDB's own schemes: the same server, but only its newer clients read them. */
const KURRENT_SCHEMES = ['kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover'];

/**
 * A connection string the client would refuse at start is refused here, before anything runs. The message
 * names the scheme only: the rest of the string may hold a password.
 */
export function connectionStringProblems(connectionString: string): string[] {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(connectionString)?.[1];
  if (scheme !== undefined && CLIENT_SCHEMES.includes(scheme)) return [];
  if (scheme !== undefined && KURRENT_SCHEMES.includes(scheme.toLowerCase())) {
    const replacement = scheme.toLowerCase().endsWith('+discover') ? 'esdb+discover' : 'esdb';
    return [
      `EVENTSTORE_CONNECTION_STRING uses the scheme ${scheme}://, which the EventStoreDB client this service ships ` +
        `(@eventstore/db-client 6) cannot read; the server is the same: write it as ${replacement}://, with the same hosts and parameters`,
    ];
  }
  return ['EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover:// (lower case)'];
}

/**
 * The worker thread needs the embedded store (it is woken by the store's commits in this process) and the
 * role `all` (with `processors`, the commits happen in another process, which no message reaches).
 */
function parseProcessorsThread(env: NodeJS.ProcessEnv, role: ProcessRole, eventStore: string, problems: string[]): ProcessorsThread {
  const text = env.PROCESSORS_THREAD;
  const possible = role === 'all' && eventStore === 'sqlite';
  if (text === undefined) return possible ? 'worker' : 'main';
  if (text !== 'worker' && text !== 'main') {
    problems.push(`PROCESSORS_THREAD must be "worker" or "main", got "${text}"`);
    return 'main';
  }
  if (text === 'worker' && !possible) {
    problems.push(`PROCESSORS_THREAD=worker needs ROLE=all and EVENT_STORE=sqlite (got ROLE=${role}, EVENT_STORE=${eventStore})`);
  }
  return text;
}

/**
 * ROLE, and PROJECTIONS from before it: `PROJECTIONS=off` is `ROLE=api`, `PROJECTIONS=embedded` either role
 * that runs the processors. Both may be set if they agree; a contradiction is refused rather than guessed.
 */
function parseRole(env: NodeJS.ProcessEnv): { role: ProcessRole; problems: string[] } {
  const problems: string[] = [];
  const roleText = env.ROLE;
  const projectionsText = env.PROJECTIONS;
  if (roleText !== undefined && !(PROCESS_ROLES as readonly string[]).includes(roleText)) {
    problems.push(`ROLE must be one of ${PROCESS_ROLES.map((r) => `"${r}"`).join(', ')}, got "${roleText}"`);
  }
  if (projectionsText !== undefined && projectionsText !== 'embedded' && projectionsText !== 'off') {
    problems.push(`PROJECTIONS must be "embedded" or "off", got "${projectionsText}"`);
  }
  if (problems.length > 0) return { role: 'all', problems };
  const role = (roleText as ProcessRole | undefined) ?? (projectionsText === 'off' ? 'api' : 'all');
  if (projectionsText === 'off' && role !== 'api') {
    problems.push(`PROJECTIONS=off contradicts ROLE=${role}, which runs the processors: set ROLE=api, or remove PROJECTIONS`);
  }
  if (projectionsText === 'embedded' && role === 'api') {
    problems.push('PROJECTIONS=embedded contradicts ROLE=api, which runs no processor: remove PROJECTIONS');
  }
  return { role, problems };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
