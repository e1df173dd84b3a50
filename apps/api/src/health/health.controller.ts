import { Controller, Get, Inject } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { processorsHealth } from './processors-health';

/** The health answer: terminus's, with `warn` when the service serves but a background process needs support. */
export type HealthAnswer = Omit<HealthCheckResult, 'status'> & { status: HealthCheckResult['status'] | 'warn' };

@ApiTags('operations')
@Controller('health')
@Access.public()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Liveness, event store reachability and background processes',
    description:
      '503 when the event store is down. 200 otherwise, with `status: "warn"` (instead of `"ok"`) while a reactor has parked events ' +
      'waiting for support or is retrying a passing failure: `details.processors` gives the parked count, the reactors retrying, and per ' +
      'reactor its position, failures in a row, last error and parked count.',
  })
  async check(): Promise<HealthAnswer> {
    let processors: ReturnType<typeof processorsHealth> | undefined;
    const result = await this.health.check([
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          await this.store.ping();
          return indicator.up({ headPosition: await this.store.headPosition() });
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
      async () => {
        processors = processorsHealth(this.runtime.reactorStatus());
        // Parked events and retries never take the instance out of rotation: it still serves every request.
        return this.indicators.check('processors').up({ ...processors });
      },
    ]);
    return processors?.state === 'warn' ? { ...result, status: 'warn' } : result;
  }
}
