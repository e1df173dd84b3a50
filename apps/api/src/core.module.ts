import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock } from '@escrow/clock';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { CommandExecutor } from './commands/command-executor';
import { DerivedIds } from './commands/envelope';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { IdempotencyModule } from './idempotency';
import { ExportSlots } from './http/export-slots';
import { eventStoreProvider } from './store/event-store.provider';

/** Closes the event store, after the HTTP server has stopped taking requests and the projections have stopped. */
class StorageLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** What every feature module shares: the configuration, the clock, the one event store, idempotency, derived ids and the command executor. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: CoreModule,
      imports: [IdempotencyModule.forRoot(config, clock)],
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: CLOCK, useValue: clock }, eventStoreProvider, DerivedIds, CommandExecutor, StorageLifecycle, ExportSlots],
      exports: [APP_CONFIG, CLOCK, EVENT_STORE, IdempotencyModule, CommandExecutor, DerivedIds, ExportSlots],
    };
  }
}
