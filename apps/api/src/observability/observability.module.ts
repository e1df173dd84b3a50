import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { COMMAND_OBSERVER } from './command-observer';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { nestLoggerOver } from './request-logger';
import { ShutdownCoordinator } from './shutdown';

/** The root logger of the application, for whoever writes lines of their own (the access lines). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Logs, metrics and the stopping state. Global: the command executor finds its observer here, and the
 * event stream its reader gauge (`Metrics.setSseReaders`) and its shutdown hook (`ShutdownCoordinator.onShutdown`).
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(rootLogger: PinoInstance): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        { provide: ROOT_LOGGER, useValue: rootLogger },
        // Nest's own logger. Requests are logged by one access line each (request-observation.ts), which also gives
        // the messages written while a request is handled its id.
        { provide: Logger, useFactory: () => nestLoggerOver(rootLogger) },
        Metrics,
        { provide: COMMAND_OBSERVER, useExisting: Metrics },
        ShutdownCoordinator,
      ],
      exports: [Logger, ROOT_LOGGER, Metrics, COMMAND_OBSERVER, ShutdownCoordinator],
    };
  }
}
