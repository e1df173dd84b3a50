import type Database from 'better-sqlite3';
import type {
  ContractOfferedData,
  EscrowFundedData,
  EscrowRefundedData,
  MilestonePaidOutData,
} from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const ACCOUNT_ACTIVITY_PROJECTION = 'account-activity';

/** Events after which an offer or contract has ended: nothing more can happen to it. */
const ENDING_EVENTS = new Set(['OfferWithdrawn', 'OfferDeclined', 'ContractCompleted', 'ContractTerminated']);

/**
 * One row per offer or contract with its two parties, whether it has ended, and the escrow it still
 * holds. The closure facts of an account (open offers and contracts as client or as worker,
 * unsettled escrow) are sums over it.
 */
export const accountActivityProjection: Projection = {
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
  prepare(db) {
    const offer = db.prepare(
      `INSERT OR IGNORE INTO account_contracts (contract_id, client_id, worker_id, open, escrow, last_event_type, position)
       VALUES (?, ?, ?, 1, 0, 'ContractOffered', ?)`,
    );
    const end = db.prepare(`UPDATE account_contracts SET open = 0, last_event_type = ?, position = ? WHERE contract_id = ?`);
    const moveEscrow = db.prepare(
      `UPDATE account_contracts SET escrow = escrow + ?, last_event_type = ?, position = ? WHERE contract_id = ?`,
    );
    return (event: RecordedEvent) => {
      const contractId = (event.data as { contractId?: unknown }).contractId;
      if (typeof contractId !== 'string') return;
      switch (event.type) {
        case 'ContractOffered': {
          const data = event.data as unknown as ContractOfferedData;
          offer.run(data.contractId, data.clientId, data.workerId, event.position);
          return;
        }
        case 'EscrowFunded':
          moveEscrow.run((event.data as unknown as EscrowFundedData).amount, event.type, event.position, contractId);
          return;
        case 'MilestonePaidOut':
          moveEscrow.run(-(event.data as unknown as MilestonePaidOutData).gross, event.type, event.position, contractId);
          return;
        case 'EscrowRefunded':
          moveEscrow.run(-(event.data as unknown as EscrowRefundedData).amount, event.type, event.position, contractId);
          return;
        default:
          if (ENDING_EVENTS.has(event.type)) end.run(event.type, event.position, contractId);
      }
    };
  },
};

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
