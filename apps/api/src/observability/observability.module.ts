import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { COMMAND_OBSERVER } from './command-observer';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
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
      imports: [
        LoggerModule.forRoot({
          // Requests are logged by one access line each (request-observation.ts); pino-http only gives the logs
          // written inside a request its id.
          pinoHttp: { logger: rootLogger, autoLogging: false, quietReqLogger: true, genReqId: (request) => String(request.id) },
        }),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: ROOT_LOGGER, useValue: rootLogger },
        Metrics,
        { provide: COMMAND_OBSERVER, useExisting: Metrics },
        ShutdownCoordinator,
      ],
      exports: [ROOT_LOGGER, Metrics, COMMAND_OBSERVER, ShutdownCoordinator],
    };
  }
}
