import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import type { Clock } from '@escrow/clock';
import { AccountIndexesModule } from './accounts/account-indexes.module';
import { AccessGuard } from './auth/access.guard';
import { AuditController, ReadAuditFeedQueryHandler } from './audit/audit.controller';
import { NotaryModule } from './audit/notary.module';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { EventFeedModule } from './event-feed/event-feed.module';
import { ExecuteCompetitionCommandHandler, GetCompetitionQueryHandler } from './competitions/competition-commands';
import { CompetitionsController } from './competitions/competitions.controller';
import { ExecuteContractCommandHandler, GetContractQueryHandler } from './contracts/contract-commands';
import { GetContractDiffQueryHandler, GetContractHistoryQueryHandler } from './contracts/contract-history';
import { ContractsController } from './contracts/contracts.controller';
import { FeesController } from './fees/fees.controller';
import { HealthController } from './health/health.controller';
import { ExecuteHourlyCommandHandler, GetHourlyContractQueryHandler } from './hourly/hourly-commands';
import { HourlyContractsController } from './hourly/hourly.controller';
import { GetHourlyHistoryQueryHandler } from './hourly/hourly-history';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ProblemPagesController } from './http/problem-pages.controller';
import { createValidationPipe } from './http/validation';
import { PaymentReferences } from './payments/payment-references';
import { ProjectionsModule } from './projections/projections.module';
import { SupportQueuesController } from './support/support-queues.controller';
import { ScheduleController } from './timers/schedule.controller';
import { SchedulerService } from './timers/scheduler.service';
import { TasksModule } from './tasks/tasks.module';
import { WalletsModule } from './wallets/wallets.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, clock),
        AccountIndexesModule,
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        ProjectionsModule.forRoot(),
        WalletsModule.forRoot(),
        EventFeedModule,
        NotaryModule,
        TasksModule,
      ],
      controllers: [ContractsController, FeesController, HealthController, AuditController, ProblemPagesController, ScheduleController, SupportQueuesController, CompetitionsController, HourlyContractsController],
      providers: [
        ExecuteContractCommandHandler,
        ExecuteHourlyCommandHandler,
        GetHourlyContractQueryHandler,
        GetHourlyHistoryQueryHandler,
        PaymentReferences,
        GetContractQueryHandler,
        GetContractHistoryQueryHandler,
        GetContractDiffQueryHandler,
        ExecuteCompetitionCommandHandler,
        GetCompetitionQueryHandler,
        ReadAuditFeedQueryHandler,
        SchedulerService,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
