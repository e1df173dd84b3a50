import { Controller, Get, Inject } from '@nestjs/common';
import { Access } from '../auth/access-policy';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectionStatus } from '@escrow/projections/projection';
import { AwaitsProjections } from './min-position.interceptor';
import { ProjectionRuntime } from './projection-runtime';

@ApiTags('read models')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(@Inject(ProjectionRuntime) private readonly runtime: ProjectionRuntime) {}

  @Get()
  @Access.staff()
  @AwaitsProjections()
  @ApiOperation({
    summary: 'How far each read model has read the event log',
    description: 'Per projection: its version, the global position it has applied, the head of the log and the lag behind it.',
  })
  list(): Promise<ProjectionStatus[]> {
    return this.runtime.status();
  }
}
