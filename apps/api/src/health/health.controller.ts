import { Controller, Get, Inject, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readsEverything } from '@escrow/domain/shared/access';
import { Access } from '../auth/access-policy';
import { authenticate } from '../auth/access.guard';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { readActor } from '../http/command-context';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, EventStore } from '@escrow/event-store/port';
import { IdempotencyRecords } from '../idempotency';
import { ProjectionRuntime } from '../projections/projection-runtime';
import { NotaryService } from '../audit/notary/notary.service';
import { notaryHealth } from './notary-health';
import { ShutdownCoordinator } from '../observability/shutdown';
import { processorLag, ProcessorPosition, processorsHealth } from './processors-health';
import { QueryResponses } from '../http/openapi/operation-responses';
import { HealthAnswerSchema, LivenessAnswerSchema } from './health.responses';

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
    @Inject(IdempotencyRecords) private readonly idempotencyRecords: IdempotencyRecords,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ShutdownCoordinator) private readonly shutdown: ShutdownCoordinator,
    @Inject(NotaryService) private readonly notary: NotaryService,
  ) {}

  @Get('live')
  @QueryResponses(LivenessAnswerSchema, { problems: [] })
  @ApiOperation({
    security: [],
    summary: 'Liveness: the process answers',
    description:
      'Public. 200 `{"status":"ok"}` whenever the process can answer a request at all, whatever the state of its storage or ' +
      'processors: a failing liveness probe means the process should be restarted, which none of those would fix.',
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @QueryResponses(HealthAnswerSchema, { problems: [503] })
  @ApiOperation({
    security: [],
    summary: 'Readiness: the same answer as /health',
    description: 'Public. 200 when this instance can serve its traffic, 503 naming the parts that are down; the same check as `GET /health`.',
  })
  ready(@Req() request: FastifyRequest): Promise<HealthAnswer> {
    return this.check(request);
  }

  @Get()
  // Documented by HealthAnswerSchema below, not by terminus's own schema.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @QueryResponses(HealthAnswerSchema, { problems: [503] })
  @ApiOperation({
    security: [],
    summary: 'Readiness: storage, processors and their lag, integrity',
    description:
      'Public: without the credentials of a support, system or auditor caller, only the statuses are shown (the details name ' +
      'positions, store ids and errors). 503 when a store is down or cannot be written. `eventStore`: reachable and taking appends, with its id and head. ' +
      '`readModels`: down while their batches fail (a full disk, say; nothing is lost, they are retried). `idempotencyRecords`: down while ' +
      'their writes fail (kept in memory and retried). Otherwise 200, with `status: "warn"` (instead of `"ok"`) while a reactor has parked ' +
      'events waiting for support or is retrying a passing failure: `details.processors` gives the parked count, the reactors retrying, ' +
      'and per reactor its position, failures in a row, last error and parked count. `processorLag`: down while a processor running ' +
      'here is more than READY_MAX_LAG_EVENTS behind the head of the log. `integrity`: down when a processor claims a position ' +
      'beyond the head (the log was replaced or rolled back under a running process). `notary`: down when the last tamper check found ' +
      'events changed since they were notarised (their positions are listed), or the read models were rebuilt over such a log (see ' +
      'GET /v1/audit/integrity), and while notarising fails (`failingSince`, `failures`, `lastError`; retried with back-off). ' +
      '`shutdown`: down once the process is stopping.',
  })
  async check(@Req() request: FastifyRequest): Promise<HealthAnswer> {
    const detailed = this.isStaffCaller(request);
    try {
      const result = await this.checkEverything();
      return detailed ? result : statusesOnly(result);
    } catch (error) {
      if (detailed || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException(statusesOnly(error.getResponse() as HealthAnswer));
    }
  }

  /** A public route, so the guard does not run: the caller is checked here, and anything short of staff sees statuses only. */
  private isStaffCaller(request: FastifyRequest): boolean {
    try {
      const client = authenticate(this.config, request);
      const actor = readActor(request);
      return client.roles.includes(actor.role) && readsEverything(actor);
    } catch {
      return false;
    }
  }

  private async checkEverything(): Promise<HealthAnswer> {
    let processors: ReturnType<typeof processorsHealth> | undefined;
    const result = await this.health.check([
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
      async () => {
        processors = processorsHealth(this.runtime.reactorStatus());
        // Parked events and retries never take the instance out of rotation: it still serves every request.
        return this.indicators.check('processors').up({ ...processors });
      },
      () => this.lagAndIntegrity('processorLag'),
      () => this.lagAndIntegrity('integrity'),
      () => this.writer('readModels', this.runtime.failingSince(), 'read models cannot apply new events; retrying'),
      () => this.writer('idempotencyRecords', this.idempotencyRecords.writeFailingSince, 'idempotency records cannot be written; kept in memory, retrying'),
      () => {
        const { up, figures } = notaryHealth(this.notary.integrity(), this.notary.status());
        return up ? this.indicators.check('notary').up(figures) : this.indicators.check('notary').down(figures);
      },
      () => (this.shutdown.stopping ? this.indicators.check('shutdown').down({ message: 'the process is stopping' }) : this.indicators.check('shutdown').up()),
    ]);
    return processors?.state === 'warn' ? { ...result, status: 'warn' } : result;
  }

  /** The processors running in this process (none with ROLE=api: theirs run elsewhere and are that process's readiness). */
  private async processorPositions(): Promise<ProcessorPosition[]> {
    if (this.config.role === 'api') return [];
    const projections = (await this.runtime.status()).map(({ name, position }) => ({ name, kind: 'projection' as const, position }));
    const reactors = this.runtime.reactorStatus().filter((reactor) => reactor.running).map(({ name, position }) => ({ name, kind: 'reactor' as const, position }));
    return [...projections, ...reactors];
  }

  private async lagAndIntegrity(part: 'processorLag' | 'integrity') {
    const indicator = this.indicators.check(part);
    try {
      // Positions before the head: read the other way round, a processor could pass a head read a moment earlier.
      const positions = await this.processorPositions();
      const lag = processorLag(await this.store.headPosition(), positions, this.config.readyMaxLagEvents);
      if (part === 'integrity') {
        return lag.ahead.length === 0
          ? indicator.up()
          : indicator.down({ message: 'processors are beyond the head of the log: it was replaced or rolled back; see npm run store:check', ahead: lag.ahead });
      }
      const figures = { maxLagEvents: lag.maxLagEvents, headPosition: lag.headPosition, behind: lag.behind };
      return lag.state === 'up' ? indicator.up(figures) : indicator.down({ ...figures, message: `processors are more than ${lag.maxLagEvents} events behind the log` });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private writer(name: string, failingSince: string | undefined, message: string) {
    const indicator = this.indicators.check(name);
    return failingSince === undefined ? indicator.up() : indicator.down({ message, failingSince });
  }
}

type IndicatorResults = Record<string, { status: string; [figure: string]: unknown } | undefined>;

/** Each part's status, and how many events wait parked: what a load balancer or a passer-by may know. */
function statusesOnly(answer: HealthAnswer): HealthAnswer {
  const strip = (results: IndicatorResults | undefined) =>
    results &&
    Object.fromEntries(
      Object.entries(results).map(([name, result]) => [
        name,
        name === 'processors' ? { status: result?.status, parked: result?.parked, retrying: result?.retrying } : { status: result?.status },
      ]),
    );
  return { status: answer.status, info: strip(answer.info), error: strip(answer.error), details: strip(answer.details) } as HealthAnswer;
}
