import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { DerivedIds } from './auth/derived-ids';
import { CommandExecutor } from './commands/command-executor';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { IdempotencyRecords } from './idempotency/idempotency-records';
import { eventStoreProvider } from './store/event-store.provider';

/** Closes the storage, after the HTTP server has stopped taking requests and the projections have stopped. */
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.records.close();
    await this.store.close();
  }
}

/** What every feature module shares: the configuration, the one event store, idempotency records and the command executor. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        eventStoreProvider,
        {
          provide: IdempotencyRecords,
          useFactory: () => IdempotencyRecords.open(join(config.dataDir, 'idempotency.sqlite'), { retentionHours: config.idempotencyRetentionHours }),
        },
        DerivedIds,
        CommandExecutor,
        StorageLifecycle,
      ],
      exports: [APP_CONFIG, EVENT_STORE, IdempotencyRecords, CommandExecutor, DerivedIds],
    };
  }
}
