import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './bootstrap';
import { clockOffsetWarning, serviceClock } from './clock/service-clock';
import { AppConfig, InvalidConfigError, loadConfig } from './config/app-config';
import { ReadModelsDoNotMatchStoreError } from '@escrow/projections/runtime/store-binding';
import { createRootLogger } from './observability/logging';
import { stopGracefullyOnSignals } from './observability/shutdown';
import { StorageDamagedError } from './store/storage-files';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`${error.message}\nThe service did not start.\n`);
      process.exit(2);
    }
    throw error;
  }
  // Every line on stdout is JSON from here on: what is said before the application exists goes through the same logger.
  const startLog = createRootLogger(config).child({ context: 'Main' });
  for (const warning of config.warnings) startLog.warn(warning);
  if (config.authentication.mode === 'open') {
    startLog.warn(
      'AUTHENTICATION IS OFF: API_CLIENTS is not set, so anyone who can reach this service may act as any user, ' +
        'support or the platform itself. Development only: NODE_ENV=production refuses to start like this.',
    );
  }
  const clock = serviceClock(config);
  const offsetWarning = clockOffsetWarning(config, clock, process.env.CLOCK_OFFSET ?? '');
  if (offsetWarning !== undefined) startLog.warn(offsetWarning);
  const app = await createApp(config, { clock });
  await app.listen({ port: config.port, host: config.host });
  const logger = app.get(Logger);
  stopGracefullyOnSignals(app, config, logger);
  const address = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const serves = {
    all: 'the API (docs at /docs) and the processors',
    api: 'the API (docs at /docs); the processors run in another process',
    processors: 'the processors; it answers only /health and /metrics',
  }[config.role];
  logger.log(`Escrow ledger listening on ${address}, ROLE=${config.role}: ${serves}`, 'Main');
}

main().catch((error: unknown) => {
  if (error instanceof StorageDamagedError || error instanceof ReadModelsDoNotMatchStoreError) {
    // A refusal with its cause and remedy: the message is the whole story, a stack would bury it.
    process.stderr.write(`${error.message}\nThe service did not start.\n`);
    process.exit(3);
  }
  process.stderr.write(`The service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
