import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { mkdirSync } from 'node:fs';
import { AppModule } from './app.module';
import { refuseUnauthenticatedUnroutedRequests } from './auth/unrouted-requests';
import { AppConfig } from './config/app-config';
import { fastifyOptions, installServerEdges } from './http/server-edges';
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
  refuseUnauthenticatedUnroutedRequests(adapter.getInstance(), config);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Escrow and contract ledger')
      .setDescription(
        'Command and query API of the escrow and contract ledger. Commands name their actor with X-Actor-Id and ' +
          'X-Actor-Role, take an Idempotency-Key and an optional If-Match, and answer errors as application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  return app;
}
