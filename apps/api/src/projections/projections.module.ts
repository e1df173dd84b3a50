import { DynamicModule, Module } from '@nestjs/common';
import { PROJECTION_READER } from '@escrow/projections/projection';
import { CompletionRateQueries } from '@escrow/projections/completion-rates/completion-rates.queries';
import { ContractSearchController } from '../read-models/contract-search.controller';
import { ContractSummaryQueries } from '@escrow/projections/contract-summaries/contract-summaries.queries';
import { FeeQueries } from '@escrow/projections/fees/fees.queries';
import { JournalQueries } from '@escrow/projections/ledger/journal.queries';
import { LedgerQueries } from '@escrow/projections/ledger/ledger.queries';
import { JournalController } from '../ledger/journal.controller';
import { LedgerCheckQueries } from '@escrow/projections/ledger/ledger-checks.queries';
import { LedgerController } from '../ledger/ledger.controller';
import { FeeReportsController } from '../read-models/fee-reports.controller';
import { ClientReadModelsController, WorkerReadModelsController } from '../read-models/party-read-models.controller';
import { MinPositionInterceptor } from './min-position.interceptor';
import { ParkedEventsController } from './parked-events.controller';
import { ProjectionRuntime } from './projection-runtime';
import { ProjectionsController } from './projections.controller';

const queriesOver = <T>(Queries: new (db: ProjectionRuntime['db']) => T) => ({
  provide: Queries,
  inject: [ProjectionRuntime],
  useFactory: (runtime: ProjectionRuntime) => new Queries(runtime.db),
});

/**
 * The read models: their runtime (started on bootstrap unless ROLE=api, stopped on shutdown),
 * their routes (the reactors' parked events included), and — to every module, as it is global — PROJECTION_READER (waits and the read-model
 * database), ProjectionRuntime (to register reactors) and the minPosition interceptor.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      controllers: [ProjectionsController, ParkedEventsController, LedgerController, JournalController, FeeReportsController, ClientReadModelsController, WorkerReadModelsController, ContractSearchController],
      providers: [
        ProjectionRuntime,
        { provide: PROJECTION_READER, useExisting: ProjectionRuntime },
        MinPositionInterceptor,
        queriesOver(LedgerQueries),
        queriesOver(JournalQueries),
        queriesOver(LedgerCheckQueries),
        queriesOver(FeeQueries),
        queriesOver(ContractSummaryQueries),
        queriesOver(CompletionRateQueries),
      ],
      exports: [
        PROJECTION_READER,
        ProjectionRuntime,
        MinPositionInterceptor,
        LedgerQueries,
        LedgerCheckQueries,
        FeeQueries,
        ContractSummaryQueries,
        CompletionRateQueries,
      ],
    };
  }
}
