import type Database from 'better-sqlite3';
import { isContractEvent } from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import { yen } from '../batching/yen';
import { batchingProjection, type Projection, type ProjectionBatch } from '../projection';

export const ACCOUNT_ACTIVITY_PROJECTION = 'account-activity';

/** Events after which an offer or contract has ended: nothing more can happen to it. */
const ENDING_EVENTS = new Set(['OfferWithdrawn', 'OfferDeclined', 'ContractCompleted', 'ContractTerminated']);

/**
 * One row per offer or contract with its two parties, whether it has ended, and the escrow it still
 * holds. The closure facts of an account (open offers and contracts as client or as worker,
 * unsettled escrow) are sums over it.
 */
export const accountActivityProjection: Projection = batchingProjection({
  name: ACCOUNT_ACTIVITY_PROJECTION,
  version: 1,
  tables: ['account_contracts'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS account_contracts (
        contract_id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        worker_id TEXT NOT NULL,
        open INTEGER NOT NULL,
        escrow INTEGER NOT NULL DEFAULT 0,
        last_event_type TEXT NOT NULL,
        position INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS account_contracts_by_client ON account_contracts (client_id, open);
      CREATE INDEX IF NOT EXISTS account_contracts_by_worker ON account_contracts (worker_id, open);
    `);
  },

  prepareBatch(db): ProjectionBatch {
    const offer = db.prepare<[string, unknown, unknown, number]>(
      `INSERT OR IGNORE INTO account_contracts (contract_id, client_id, worker_id, open, escrow, last_event_type, position)
       VALUES (?, ?, ?, 1, 0, 'ContractOffered', ?)`,
    );
    // An offer of the batch with what followed it: a row that exists already ignores the offer (as INSERT OR
    // IGNORE does) and takes only what followed (the flag, twice, says whether anything did).
    const writeOffered = db.prepare<[string, string, string, number, bigint, string, number, number, number, number]>(
      `INSERT INTO account_contracts (contract_id, client_id, worker_id, open, escrow, last_event_type, position)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (contract_id) DO UPDATE SET
         open = CASE WHEN ? THEN 0 ELSE open END,
         escrow = escrow + excluded.escrow,
         last_event_type = CASE WHEN ? THEN excluded.last_event_type ELSE last_event_type END,
         position = CASE WHEN ? THEN excluded.position ELSE position END`,
    );
    const writeChanges = db.prepare<[number, bigint, string, number, string]>(
      `UPDATE account_contracts SET open = CASE WHEN ? THEN 0 ELSE open END, escrow = escrow + ?, last_event_type = ?, position = ?
       WHERE contract_id = ?`,
    );
    // Offers, escrow moves and endings are gathered per contract and written once at the end of the batch.
    // Changes that came before an offer of the same contract are written before it, as they would alone.
    const pending = new Map<string, PendingActivity>();
    const write = (contractId: string, { offered, ended, escrow, lastEvent }: PendingActivity) => {
      if (offered === undefined) {
        writeChanges.run(ended ? 1 : 0, escrow, lastEvent!.type, lastEvent!.position, contractId);
        return;
      }
      const changed = lastEvent === undefined ? 0 : 1;
      const last = lastEvent ?? { type: 'ContractOffered', position: offered.position };
      writeOffered.run(contractId, offered.clientId, offered.workerId, ended ? 0 : 1, escrow, last.type, last.position, ended ? 1 : 0, changed, changed);
    };
    const change = (contractId: string, event: RecordedEvent): PendingActivity => {
      let changes = pending.get(contractId);
      if (changes === undefined) {
        changes = { offered: undefined, ended: false, escrow: 0n, lastEvent: undefined };
        pending.set(contractId, changes);
      }
      changes.lastEvent = { type: event.type, position: event.position };
      return changes;
    };
    return {
      apply(event: RecordedEvent) {
        if (!isContractEvent(event)) return;
        const contractId = (event.data as { contractId?: unknown }).contractId;
        if (typeof contractId !== 'string') return;
        switch (event.type) {
          case 'ContractOffered': {
            const { data } = event;
            const earlier = pending.get(contractId);
            if (earlier !== undefined) {
              pending.delete(contractId);
              write(contractId, earlier);
            }
            if (typeof data.clientId === 'string' && typeof data.workerId === 'string') {
              const offered = { clientId: data.clientId, workerId: data.workerId, position: event.position };
              pending.set(contractId, { offered, ended: false, escrow: 0n, lastEvent: undefined });
            } else {
              // Refused by the table's NOT NULL, which INSERT OR IGNORE skips silently.
              offer.run(contractId, data.clientId, data.workerId, event.position);
            }
            return;
          }
          case 'EscrowFunded':
            change(contractId, event).escrow += yen(event.data.amount, 'EscrowFunded.amount');
            return;
          case 'MilestonePaidOut':
            change(contractId, event).escrow -= yen(event.data.gross, 'MilestonePaidOut.gross');
            return;
          case 'EscrowRefunded':
            change(contractId, event).escrow -= yen(event.data.amount, 'EscrowRefunded.amount');
            return;
          default:
            if (ENDING_EVENTS.has(event.type)) change(contractId, event).ended = true;
        }
      },
      flush() {
        for (const [contractId, changes] of pending) write(contractId, changes);
        pending.clear();
      },
    };
  },
});

/** What the batch's events did to one contract's row since it was last written. */
interface PendingActivity {
  /** An offer of the batch, before every change below. */
  offered: { clientId: string; workerId: string; position: number } | undefined;
  ended: boolean;
  escrow: bigint;
  /** The last event that moved escrow or ended the contract; undefined when none did since the offer. */
  lastEvent: { type: string; position: number } | undefined;
}

export interface AccountActivity {
  /** Offers and contracts not yet ended with the account as client. */
  openContractsAsClient: number;
  openContractsAsWorker: number;
  /** Escrow still held (neither paid out nor refunded) in contracts the account is a party to, in yen. */
  unsettledEscrow: number;
}

export function accountActivity(db: Database.Database, accountId: string): AccountActivity {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(CASE WHEN client_id = @id AND open = 1 THEN 1 ELSE 0 END), 0) AS openContractsAsClient,
              COALESCE(SUM(CASE WHEN worker_id = @id AND open = 1 THEN 1 ELSE 0 END), 0) AS openContractsAsWorker,
              COALESCE(SUM(escrow), 0) AS unsettledEscrow
         FROM account_contracts
        WHERE client_id = @id OR worker_id = @id`,
    )
    .get({ id: accountId }) as AccountActivity;
  return { ...row };
}
