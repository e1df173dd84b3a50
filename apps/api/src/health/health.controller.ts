import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { IdempotencyRecords } from '../idempotency/idempotency-records';
import { ProjectionRuntime } from '../projections/projection-runtime';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRuntime) private readonly projections: ProjectionRuntime,
    @Inject(IdempotencyRecords) private readonly idempotencyRecords: IdempotencyRecords,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness and storage (503 when a store is down or cannot be written)',
    description:
      'Public. `eventStore`: reachable and taking appends, with its id and head. `readModels`: down while their batches fail (a full disk, say; ' +
      'nothing is lost, they are retried). `idempotencyRecords`: down while their writes fail (kept in memory and retried).',
  })
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          await this.store.ping();
          const figures = { storeId: await this.store.storeId(), headPosition: await this.store.headPosition() };
          const failingSince = this.store.writeFailingSince;
          if (failingSince !== undefined) {
            return indicator.down({ ...figures, message: 'the event store cannot take appends (full disk or I/O error); commands answer 503', failingSince });
          }
          return indicator.up(figures);
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
      () => this.writer('readModels', this.projections.failingSince(), 'read models cannot apply new events; retrying'),
      () => this.writer('idempotencyRecords', this.idempotencyRecords.writeFailingSince, 'idempotency records cannot be written; kept in memory, retrying'),
    ]);
  }

  private writer(name: string, failingSince: string | undefined, message: string) {
    const indicator = this.indicators.check(name);
    return failingSince === undefined ? indicator.up() : indicator.down({ message, failingSince });
  }
}
