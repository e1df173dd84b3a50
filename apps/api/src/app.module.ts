import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { AuditController, ReadAuditFeedQueryHandler } from './audit/audit.controller';
import { CommandExecutor } from './commands/command-executor';
import { APP_CONFIG, AppConfig } from './config/app-config';
import {
  ExecuteContractCommandHandler,
  GetContractHistoryQueryHandler,
  GetContractQueryHandler,
} from './contracts/contract-commands';
import { ContractsController } from './contracts/contracts.controller';
import { FeesController } from './fees/fees.controller';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ServiceTokenGuard } from './http/service-token.guard';
import { createValidationPipe } from './http/validation';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRecords } from './idempotency/idempotency-records';
import { ProjectionsModule } from './projections/projections.module';
import { eventStoreProvider } from './store/event-store.provider';
import { WalletsModule } from './wallets/wallets.module';

/** Closes what the module opened, after the HTTP server has stopped taking requests. */
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

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), ProjectionsModule.forRoot(config), WalletsModule.forRoot(config)],
      controllers: [ContractsController, FeesController, HealthController, AuditController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        eventStoreProvider,
        { provide: IdempotencyRecords, useFactory: () => IdempotencyRecords.open(join(config.dataDir, 'idempotency.sqlite')) },
        CommandExecutor,
        ExecuteContractCommandHandler,
        GetContractQueryHandler,
        GetContractHistoryQueryHandler,
        ReadAuditFeedQueryHandler,
        StorageLifecycle,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ServiceTokenGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
