import { Logger, PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import type { Logger as PinoInstance } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * The logger Nest's messages use while a request is handled: the root logger with the request's `reqId`.
 * The child logger is made on the first message only. Most requests write none, and making a child logger
 * per request (as pino-http does, twice, redacting the request object) cost about 4 % of the main thread.
 */
export class RequestScopedLogger {
  private bound: PinoInstance | undefined;

  constructor(
    private readonly root: PinoInstance,
    private readonly requestId: string,
  ) {}

  /** The child logger of this request, made now if it was not yet. */
  get logger(): PinoInstance {
    return (this.bound ??= this.root.child({ reqId: this.requestId }));
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  child(bindings: Record<string, unknown>): PinoInstance {
    return this.logger.child(bindings);
  }

  private write(level: Level, args: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    (this.logger[level] as (...values: unknown[]) => void)(...args);
  }
}

/**
 * Runs `next` (the rest of the request's handling) with the request's scoped logger as the one `nestjs-pino`'s
 * Nest logger writes through, so that a message written while the request is handled carries its `reqId`.
 */
export function runWithRequestLogger(root: PinoInstance, requestId: string, next: () => void): void {
  storage.run(new Store(new RequestScopedLogger(root, requestId) as unknown as PinoInstance), next);
}

/**
 * Nest's logger over the root logger: `nestjs-pino`'s, without its pino-http middleware (the access lines are
 * request-observation.ts's own, and the request's scoped logger is set by `runWithRequestLogger`).
 */
export function nestLoggerOver(root: PinoInstance): Logger {
  const params = { pinoHttp: { logger: root } };
  return new Logger(new PinoLogger(params), params);
}
