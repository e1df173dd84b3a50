import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { PROJECTION_READER, ProjectionReader } from '@escrow/projections/projection';
import { CHECKPOINT_TABLE } from '@escrow/projections/runtime/checkpoints';
import { MIN_POSITION_WAIT_MS, projectionBehind } from '../projections/min-position.interceptor';
import { FAST_COMPLETION_REACTOR } from './fast-completion.reactor';
import { WALLET_CREDIT_REACTOR } from './wallet-credit.reactor';

/** The processes that write to wallets: a wallet read at a position waits for both. */
const WALLET_PROCESSES = [WALLET_CREDIT_REACTOR, FAST_COMPLETION_REACTOR] as const;

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

  /** Waits until the processes that write to wallets have handled every event up to `position`, so their effects are in the wallets. */
  async creditsAt(position: number): Promise<void> {
    if (position <= 0) return;
    // A timeout is elapsed time: the monotonic clock, which no clock setting moves.
    const deadline = performance.now() + MIN_POSITION_WAIT_MS;
    for (;;) {
      const behind = WALLET_PROCESSES.map((name) => ({ name, position: this.positionOf(name) })).filter(
        (process) => process.position < position,
      );
      if (behind.length === 0) return;
      if (performance.now() >= deadline) throw projectionBehind(position, behind);
      await new Promise((resolve) => setTimeout(resolve, CREDIT_POLL_MS));
    }
  }

  /** Processes keep their checkpoints in the read-model database, so any process can see how far they got. */
  private positionOf(processName: string): number {
    const row = this.reader.db.prepare(`SELECT position FROM ${CHECKPOINT_TABLE} WHERE name = ?`).get(processName) as
      { position: number } | undefined;
    return row?.position ?? 0;
  }
}
