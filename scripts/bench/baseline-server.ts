/**
 * The yardsticks: a minimal NestJS app on Fastify answering the same routes the load walks (offer → accept →
 * prepay → deliver → inspect → payout), each body validated by the service's own DTO classes through the
 * service's own validation pipe (class-transformer + class-validator, unknown fields refused), and then
 *
 * - `durable`: one SQLite insert per request into a file in WAL mode with `synchronous=FULL`, the event
 *   store's setting, autocommit (so one fsync per request, no group commit), answered after the insert;
 * - `none`: no storage at all, the framework's ceiling on this machine.
 *
 * No authentication, no idempotency, no domain, no projections: whatever the service does on top of a Nest
 * request and a durable write shows in the ratio between the two.
 *
 * Usage: baseline-server.ts <port> <durable|none> <database file> <max lifetime seconds>; prints "listening" when ready.
 */

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import Database from 'better-sqlite3';
import { DeliverDto, EmptyDto, InspectDto, OfferContractDto, PrepayDto } from '../../apps/api/src/contracts/contract.dto';
import { createValidationPipe } from '../../apps/api/src/http/validation';

export type BaselineStorage = 'durable' | 'none';

/** Records one request; answers the position it was given. */
interface RequestLog {
  record(streamId: string, type: string, data: unknown): number;
  close(): void;
}

const REQUEST_LOG = Symbol('RequestLog');

function durableRequestLog(file: string): RequestLog {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT NOT NULL,
    type        TEXT NOT NULL,
    data        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
  ) STRICT`);
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO events (stream_id, type, data, recorded_at) VALUES (?, ?, ?, ?)');
  return {
    record: (streamId, type, data) => Number(insert.run(streamId, type, JSON.stringify(data ?? {}), new Date().toISOString()).lastInsertRowid),
    close: () => db.close(),
  };
}

function noRequestLog(): RequestLog {
  let position = 0;
  return { record: () => ++position, close: () => undefined };
}

const MILESTONE = 'v1/contracts/:contractId/milestones/:milestoneId';

@Controller()
class BaselineContractsController {
  constructor(@Inject(REQUEST_LOG) private readonly log: RequestLog) {}

  @Post('v1/contracts')
  @HttpCode(201)
  offer(@Body() body: OfferContractDto) {
    const contractId = randomUUID();
    const position = this.log.record(contractId, 'ContractOffered', body);
    return { contractId, position, milestones: body.milestones.map((_, index) => ({ milestoneId: `${contractId}-m${index + 1}` })) };
  }

  @Post('v1/contracts/:contractId/accept')
  @HttpCode(200)
  accept(@Param('contractId') contractId: string, @Body() body: EmptyDto) {
    return { contractId, position: this.log.record(contractId, 'ContractAccepted', body) };
  }

  @Post(`${MILESTONE}/prepay`)
  @HttpCode(200)
  prepay(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: PrepayDto) {
    return { contractId, position: this.log.record(contractId, 'EscrowFunded', { milestoneId, ...body }) };
  }

  @Post(`${MILESTONE}/deliver`)
  @HttpCode(200)
  deliver(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: DeliverDto) {
    return { contractId, position: this.log.record(contractId, 'MilestoneDelivered', { milestoneId, ...body }) };
  }

  @Post(`${MILESTONE}/inspect`)
  @HttpCode(200)
  inspect(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: InspectDto) {
    return { contractId, position: this.log.record(contractId, 'MilestoneApproved', { milestoneId, ...body }) };
  }

  @Post(`${MILESTONE}/payout`)
  @HttpCode(200)
  payout(@Param('contractId') contractId: string, @Param('milestoneId') milestoneId: string, @Body() body: EmptyDto) {
    return { contractId, position: this.log.record(contractId, 'MilestonePaidOut', { milestoneId, ...body }) };
  }
}

async function main(): Promise<void> {
  const [portText, storage, file, lifetimeText] = process.argv.slice(2);
  if (storage !== 'durable' && storage !== 'none') throw new Error(`storage must be durable or none, got "${storage}"`);
  const log = storage === 'durable' ? durableRequestLog(file) : noRequestLog();

  @Module({ controllers: [BaselineContractsController], providers: [{ provide: REQUEST_LOG, useValue: log }] })
  class BaselineModule {}

  const app = await NestFactory.create<NestFastifyApplication>(BaselineModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(createValidationPipe());

  const shutDown = async () => {
    await app.close();
    log.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutDown());
  process.on('disconnect', () => void shutDown());
  setTimeout(() => void shutDown(), Number(lifetimeText) * 1000).unref();

  await app.listen(Number(portText), '127.0.0.1');
  process.stdout.write('listening\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
