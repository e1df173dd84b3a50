import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { mkdirSync } from 'node:fs';
import { AppModule } from './app.module';
import { refuseUnauthenticatedUnroutedRequests } from './auth/unrouted-requests';
import { AppConfig } from './config/app-config';
import { openApiDocument } from './http/openapi-document';
import { fastifyOptions, installServerEdges } from './http/server-edges';
import { problemType } from './http/problem';
import { assertStorageIntact } from './store/storage-files';

const NEST_LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[] | false> = {
  silent: false,
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Builds the HTTP application (not yet listening): used by main and by the end-to-end tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  mkdirSync(config.dataDir, { recursive: true });
  assertStorageIntact(config);
  const adapter = new FastifyAdapter(fastifyOptions(config.http));
  installServerEdges(adapter, config.http);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: NEST_LOG_LEVELS[config.logLevel],
    abortOnError: false,
    bodyParser: false,
  });
  app.enableShutdownHooks();
  if (config.role === 'processors') serveOnlyHealth(adapter);
  refuseUnauthenticatedUnroutedRequests(adapter.getInstance(), config);

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  return app;
}

/** The path a `ROLE=processors` process answers: its health, for the orchestrator; commands and queries go to the API processes. */
export const PROCESSORS_ROLE_PATHS: readonly string[] = ['/health'];

/**
 * `ROLE=processors`: the process runs the processors and answers nothing but /health, before any
 * authentication, so that no command can reach it however it is addressed.
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
        detail: 'This process runs the processors (ROLE=processors) and serves only /health; send commands and queries to an API process.',
        instance: request.url,
      });
  });
}
