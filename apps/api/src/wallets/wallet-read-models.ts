import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { PROJECTION_READER, ProjectionReader } from '@escrow/projections/projection';
import { CHECKPOINT_TABLE } from '@escrow/projections/runtime/checkpoints';
import { MIN_POSITION_WAIT_MS, projectionBehind } from '../projections/min-position.interceptor';
import { WALLET_CREDIT_REACTOR } from './wallet-credit.reactor';

const CREDIT_POLL_MS = 10;

/**
 * The wallet side's view of the read models, with the waits that make its answers consistent: a query
 * asked at a position (minPosition) first lets the named projections, or the credit process, reach it.
 * Commands never wait here: they decide from streams.
 */
@Injectable()
export class WalletReadModels {
  constructor(@Inject(PROJECTION_READER) private readonly reader: ProjectionReader) {}

  get db(): Database.Database {
    return this.reader.db;
  }

  /** Waits until the named projections have applied `position`; 503 PROJECTION_BEHIND when they do not in time. */
  async projectionsAt(position: number, projections: readonly string[]): Promise<void> {
    if (position <= 0) return;
    if (await this.reader.waitFor(position, { projections, timeoutMs: MIN_POSITION_WAIT_MS })) return;
    const statuses = await this.reader.status();
    throw projectionBehind(
      position,
      statuses.filter((status) => projections.includes(status.name)).map(({ name, position: at }) => ({ name, position: at })),
    );
  }

  /** Waits until the credit process has handled every event up to `position`, so its credits are in the wallets. */
  async creditsAt(position: number): Promise<void> {
    if (position <= 0) return;
    const deadline = Date.now() + MIN_POSITION_WAIT_MS;
    while (this.creditPosition() < position) {
      if (Date.now() >= deadline) throw projectionBehind(position, [{ name: WALLET_CREDIT_REACTOR, position: this.creditPosition() }]);
      await new Promise((resolve) => setTimeout(resolve, CREDIT_POLL_MS));
    }
  }

  /** The credit process keeps its checkpoint in the read-model database, so any process can see how far it got. */
  private creditPosition(): number {
    const row = this.reader.db.prepare(`SELECT position FROM ${CHECKPOINT_TABLE} WHERE name = ?`).get(WALLET_CREDIT_REACTOR) as
      { position: number } | undefined;
    return row?.position ?? 0;
  }
}
