import { Injectable, LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config';

/** What a feature holding long-lived responses (the event stream) does when the service stops: end them, with a retry hint. */
export type ShutdownHook = () => void | Promise<void>;

/** Seconds a client of a long-lived response is told to wait before reconnecting (to another instance, or to this one restarted). */
export const RECONNECT_AFTER_SECONDS = 2;

/**
 * The service's stopping state, shared by whoever must act on it: readiness answers 503 from the first
 * moment, every answer asks its client to close the connection, and the long-lived responses registered
 * here are ended before the server waits for its connections to drain.
 */
@Injectable()
export class ShutdownCoordinator {
  private readonly hooks = new Set<ShutdownHook>();
  private stopRequested = false;

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Registers what to do when the service stops; returns the function that unregisters it (when the response ends first). */
  onShutdown(hook: ShutdownHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Every answer during the stop closes its connection, so that a keep-alive client does not hold the server open. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (this.stopping) void reply.header('connection', 'close');
      done(null, payload);
    });
  }

  /** Marks the service as stopping and ends the long-lived responses; a hook that fails is not allowed to stop the rest. */
  async begin(): Promise<void> {
    this.stopRequested = true;
    const hooks = [...this.hooks];
    this.hooks.clear();
    await Promise.allSettled(hooks.map(async (hook) => hook()));
  }
}

/**
 * SIGTERM and SIGINT stop the service gracefully: no new connections, idle keep-alive connections closed at
 * once, the requests in flight answered (for at most SHUTDOWN_GRACE_MS, then their connections are cut), the
 * processors stopped and the store flushed and closed, then exit 0. A stop that hangs still exits, with 1.
 */
export function stopGracefullyOnSignals(app: NestFastifyApplication, config: Pick<AppConfig, 'shutdownGraceMs'>, logger: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // How long the stop took is elapsed time: measured on the monotonic clock, which no clock setting moves.
    const started = performance.now();
    const server = app.getHttpServer() as Server;
    logger.log(`${signal}: taking no new connections, answering the requests in flight (at most ${config.shutdownGraceMs} ms)`, 'Shutdown');
    setTimeout(() => {
      logger.warn(`Requests still in flight after ${config.shutdownGraceMs} ms: their connections are cut`, 'Shutdown');
      server.closeAllConnections();
    }, config.shutdownGraceMs).unref();
    setTimeout(() => {
      logger.error('The service did not stop in time; exiting without closing everything', 'Shutdown');
      process.exit(1);
    }, config.shutdownGraceMs + 1_500).unref();
    try {
      await app.get(ShutdownCoordinator).begin();
      server.closeIdleConnections();
      // Stops listening and waits for the requests in flight, then stops the processors and closes the store.
      await app.close();
      logger.log(`Stopped in ${Math.ceil(performance.now() - started)} ms`, 'Shutdown');
      process.exit(0);
    } catch (error) {
      logger.error(`Stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'Shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
