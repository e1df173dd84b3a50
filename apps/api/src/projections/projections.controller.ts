import { Controller, Get, Inject } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectionStatus } from '@escrow/projections/projection';
import { AwaitsProjections } from './min-position.interceptor';
import { UntypedReadResponses } from '../http/openapi/operation-responses';
import { ProjectionRuntime, ReactorState } from './projection-runtime';

/** A projection's failures: attempts failed in a row, the last error and since when; 0, null and null while it keeps up. */
interface ProjectionHealth {
  failures: number;
  lastError: string | null;
  failingSince: string | null;
}

export type ProcessStatus = (ProjectionStatus & ProjectionHealth & { kind: 'projection' }) | (ProjectionStatus & ReactorState & { kind: 'reactor' });

@ApiTags('read models')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime) {}

  @Get()
  @Access.staff()
  @AwaitsProjections()
  @UntypedReadResponses('array')
  @ApiOperation({
    summary: 'How far each read model and each background process has read the event log',
    description:
      'Projections first (`kind: "projection"`): version, the global position applied, the head of the log and the lag behind it, ' +
      'and, for a projection whose handler fails, `failures` (attempts failed in a row), `lastError` and `failingSince`: such a ' +
      'projection alone stops and is retried with back-off, the others and the reactors go on. ' +
      'Then the reactors (`kind: "reactor"`, e.g. the wallet credits): their position and lag, `failures` (passing failures in a row on the ' +
      'event they are retrying), `lastError`, `parked` (events refused for good and waiting for support, see `/v1/processors/parked`) and ' +
      'whether they run in this process.',
  })
  async list(): Promise<ProcessStatus[]> {
    const projections = await this.runtime.status();
    const headPosition = projections[0]?.headPosition ?? 0;
    const reactors = this.runtime.reactorStatus().map(
      (reactor): ProcessStatus => ({
        kind: 'reactor',
        ...reactor,
        version: 1,
        headPosition,
        lag: Math.max(0, headPosition - reactor.position),
      }),
    );
    const failing = new Map(this.runtime.projectionFailures().map((failure) => [failure.name, failure]));
    const withHealth = projections.map((projection): ProcessStatus => {
      const failure = failing.get(projection.name);
      return { kind: 'projection', ...projection, failures: failure?.failures ?? 0, lastError: failure?.lastError ?? null, failingSince: failure?.failingSince ?? null };
    });
    return [...withHealth, ...reactors];
  }
}
