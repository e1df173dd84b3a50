import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access-policy';
import { ApiProblems } from '../http/openapi/problem-schema';
import { Metrics } from './metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  @Access.operations()
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'The Prometheus text exposition format (version 0.0.4): HTTP durations by route pattern and status, commands by type and ' +
      'outcome, group commits of the embedded store, each processor’s position and lag, parked events, idempotent replays, ' +
      'event-stream readers and the Node.js process. Roles `system` and `auditor` only. See docs/operations.md for every metric.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics, as `text/plain; version=0.0.4`', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(401, 403, 500)
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, text } = await this.metrics.exposition();
    void reply.header('content-type', contentType);
    return text;
  }
}
