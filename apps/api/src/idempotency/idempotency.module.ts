import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { join } from 'node:path';
import type { Clock } from '@escrow/clock';
import type { AppConfig } from '../config/app-config';
import { IDEMPOTENCY_FILE } from '../store/storage-files';
import { IdempotencyRecords } from './idempotency-records';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Writes what is pending and closes the records, once the HTTP server has stopped taking requests. */
class RecordsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(IdempotencyRecords) private readonly records: IdempotencyRecords) {}

  onApplicationShutdown(): void {
    this.records.close();
  }
}

/** The recorded answers to Idempotency-Keys and the interceptor that gives them again to every POST's retries. */
@Global()
@Module({})
export class IdempotencyModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: IdempotencyModule,
      providers: [
        {
          provide: IdempotencyRecords,
          useFactory: () =>
            IdempotencyRecords.open(join(config.dataDir, IDEMPOTENCY_FILE), { retentionHours: config.idempotencyRetentionHours, clock: () => clock.now() }),
        },
        RecordsLifecycle,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [IdempotencyRecords],
    };
  }
}
