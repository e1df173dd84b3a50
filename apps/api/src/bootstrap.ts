import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { mkdirSync } from 'node:fs';
import type { Clock } from '@escrow/clock';
import { AppModule } from './app.module';
import { refuseUnauthenticatedUnroutedRequests } from './auth/unrouted-requests';
import { serviceClock } from './clock/service-clock';
import { AppConfig } from './config/app-config';
import { serveConsole } from './http/console-page';
import { openApiDocument } from './http/openapi-document';
import { fastifyOptions, installServerEdges } from './http/server-edges';
import { problemType } from './http/problem';
import { createRootLogger } from './observability/logging';
import { Metrics } from './observability/metrics';
import { ObservabilityModule } from './observability/observability.module';
import { RequestObservation, requestIdOf } from './observability/request-observation';
import { ShutdownCoordinator } from './observability/shutdown';
import { assertStorageIntact } from './store/storage-files';

/**
 * Builds the HTTP application (not yet listening): used by main and by the end-to-end tests, which may hand it a
 * clock they move themselves; otherwise the clock is the one the configuration asks for.
 */
export async function createApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  mkdirSync(config.dataDir, { recursive: true });
  assertStorageIntact(config);
  const rootLogger = createRootLogger(config);
  const adapter = new FastifyAdapter({ ...fastifyOptions(config.http), genReqId: requestIdOf });
  // First of the hooks, so that every answer is counted and logged, those of the server's edges included.
  const observation = new RequestObservation();
  observation.install(adapter.getInstance());
  installServerEdges(adapter, config.http);

  @Module({ imports: [ObservabilityModule.forRoot(rootLogger), AppModule.forRoot(config, options.clock ?? serviceClock(config))] })
  class ServiceModule {}

  const app = await NestFactory.create<NestFastifyApplication>(ServiceModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  // Nest's own logs (start, processors, errors) go through the same JSON logger as the access lines.
  app.useLogger(app.get(Logger));
  observation.attach(rootLogger, app.get(Metrics));
  app.get(ShutdownCoordinator).install(adapter.getInstance());
  if (config.role === 'processors') serveOnlyHealth(adapter);
  refuseUnauthenticatedUnroutedRequests(adapter.getInstance(), config);

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  if (config.role !== 'processors') serveConsole(app, config.consoleDir);
  return app;
}

/**
 * The paths a `ROLE=processors` process answers: its health and its metrics (the processors' lag is measured
 * there), for the orchestrator and the monitoring; commands and queries go to the API processes.
 */
export const PROCESSORS_ROLE_PATHS: readonly string[] = ['/health', '/health/live', '/health/ready', '/metrics'];

/**
 * `ROLE=processors`: the process runs the processors and answers nothing but its health and metrics, before
 * any authentication (the metrics then ask for their own), so that no command can reach it however it is addressed.
 */
function serveOnlyHealth(adapter: FastifyAdapter): void {
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0].replace(/\/+$/, '') || '/';
    if (PROCESSORS_ROLE_PATHS.includes(path)) return done();
    void reply
      .status(404)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({
        type: problemType('NOT_SERVED_BY_ROLE'),
        title: 'Not served by this process',
        status: 404,
        code: 'NOT_SERVED_BY_ROLE',
        detail: 'This process runs the processors (ROLE=processors) and serves only /health and /metrics; send commands and queries to an API process.',
        instance: request.url,
      });
  });
}
