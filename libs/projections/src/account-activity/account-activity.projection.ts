import type Database from 'better-sqlite3';
import { declareProjection } from '../runtime/declared-projection';
import { insertIfAbsent, update } from '../runtime/row-changes';
import { yen } from '../runtime/yen';

export const ACCOUNT_ACTIVITY_PROJECTION = 'account-activity';

const CONTRACTS = 'account_contracts';

/** An event that moved the contract's escrow or ended it: the row's last event, and its escrow moved. */
const escrowMoved = (event: { type: string; position: number; data: { contractId: string } }, escrow: number | bigint) =>
  update(CONTRACTS, { contract_id: event.data.contractId }, { last_event_type: event.type, position: event.position }, { escrow });

/** After it the offer or contract has ended: nothing more can happen to it. */
const ended = (event: { type: string; position: number; data: { contractId: string } }) =>
  update(CONTRACTS, { contract_id: event.data.contractId }, { open: 0, last_event_type: event.type, position: event.position });

/**
 * One row per offer or contract with its two parties, whether it has ended, and the escrow it still
 * holds. The closure facts of an account (open offers and contracts as client or as worker,
 * unsettled escrow) are sums over it.
 */
export const accountActivityProjection = declareProjection({
  name: ACCOUNT_ACTIVITY_PROJECTION,
  version: 1,
  tables: {
    [CONTRACTS]: {
      key: ['contract_id'],
      ddl: `
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
        CREATE INDEX IF NOT EXISTS account_contracts_by_worker ON account_contracts (worker_id, open);`,
    },
  },
  on: {
    // A second offer of the same contract changes nothing, and neither does one the table's NOT NULL refuses.
    ContractOffered: ({ data, position }) =>
      insertIfAbsent(CONTRACTS, {
        contract_id: data.contractId,
        client_id: data.clientId,
        worker_id: data.workerId,
        open: 1,
        escrow: 0,
        last_event_type: 'ContractOffered',
        position,
      }),
    EscrowFunded: (event) => escrowMoved(event, event.data.amount),
    MilestonePaidOut: (event) => escrowMoved(event, -yen(event.data.gross, 'MilestonePaidOut.gross')),
    EscrowRefunded: (event) => escrowMoved(event, -yen(event.data.amount, 'EscrowRefunded.amount')),
    OfferWithdrawn: ended,
    OfferDeclined: ended,
    ContractCompleted: ended,
    ContractTerminated: ended,
  },
});

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
