import { Controller, Get, Inject } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectionStatus } from '@escrow/projections/projection';
import { AwaitsProjections } from './min-position.interceptor';
import { ProjectionRuntime, ReactorState } from './projection-runtime';

export type ProcessStatus = (ProjectionStatus & { kind: 'projection' }) | (ProjectionStatus & ReactorState & { kind: 'reactor' });

@ApiTags('read models')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime) {}

  @Get()
  @Access.staff()
  @AwaitsProjections()
  @ApiOperation({
    summary: 'How far each read model and each background process has read the event log',
    description:
      'Projections first (`kind: "projection"`): version, the global position applied, the head of the log and the lag behind it. ' +
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
    return [...projections.map((projection): ProcessStatus => ({ kind: 'projection', ...projection })), ...reactors];
  }
}
