import type Database from 'better-sqlite3';
import { isContractEvent } from '@escrow/domain/contract';
import { toJapanCalendarDate } from '@escrow/domain/money';
import type { RecordedEvent } from '@escrow/event-store/port';
import { BufferedInsert } from '../batching/buffered-insert';
import { lastValueMemo } from '../batching/last-value-memo';
import { yen } from '../batching/yen';
import { batchingProjection, type Projection, type ProjectionBatch } from '../projection';

export const FEES_PROJECTION = 'fees';

/**
 * System fees: one row per payout with its full breakdown, running totals per contract, and platform
 * fee revenue per Tokyo calendar day (months are sums of days). The day of a payout is the date in
 * Japan (UTC+9) of the event's occurredAt.
 */
export const feesProjection: Projection = batchingProjection({
  name: FEES_PROJECTION,
  version: 1,
  tables: ['fee_contracts', 'fee_payouts', 'fee_revenue_daily'],

  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS fee_contracts (
        contract_id     TEXT    PRIMARY KEY,
        client_id       TEXT    NOT NULL,
        worker_id       TEXT    NOT NULL,
        fee_schedule_id TEXT,
        tax_rate        TEXT,
        payouts         INTEGER NOT NULL DEFAULT 0,
        gross           INTEGER NOT NULL DEFAULT 0,
        fee_ex_tax      INTEGER NOT NULL DEFAULT 0,
        fee_tax         INTEGER NOT NULL DEFAULT 0,
        fee             INTEGER NOT NULL DEFAULT 0,
        net             INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE IF NOT EXISTS fee_payouts (
        position                INTEGER PRIMARY KEY,
        event_id                TEXT    NOT NULL,
        contract_id             TEXT    NOT NULL,
        milestone_id            TEXT    NOT NULL,
        client_id               TEXT    NOT NULL,
        worker_id               TEXT    NOT NULL,
        gross                   INTEGER NOT NULL,
        fee_ex_tax              INTEGER NOT NULL,
        fee_tax                 INTEGER NOT NULL,
        fee                     INTEGER NOT NULL,
        net                     INTEGER NOT NULL,
        tiers                   TEXT    NOT NULL,
        cumulative_gross_before INTEGER NOT NULL,
        cumulative_gross_after  INTEGER NOT NULL,
        cumulative_fee_after    INTEGER NOT NULL,
        schedule_id             TEXT    NOT NULL,
        tax_rate                TEXT    NOT NULL,
        cause                   TEXT    NOT NULL,
        occurred_at             TEXT    NOT NULL,
        tokyo_date              TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS fee_payouts_by_contract ON fee_payouts (contract_id, position);

      CREATE TABLE IF NOT EXISTS fee_revenue_daily (
        tokyo_date TEXT    PRIMARY KEY,
        payouts    INTEGER NOT NULL,
        gross      INTEGER NOT NULL,
        fee_ex_tax INTEGER NOT NULL,
        fee_tax    INTEGER NOT NULL,
        fee        INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },

  prepareBatch(db: Database.Database): ProjectionBatch {
    const payoutRows = new BufferedInsert(
      db,
      `INSERT INTO fee_payouts (position, event_id, contract_id, milestone_id, client_id, worker_id, gross, fee_ex_tax, fee_tax, fee, net,
         tiers, cumulative_gross_before, cumulative_gross_after, cumulative_fee_after, schedule_id, tax_rate, cause, occurred_at, tokyo_date)`,
      20,
    );
    // A missing row is created with the identity given; an existing one takes it only when an offer or an
    // acceptance of the batch set it (the flag, four times), and adds the batch's payouts to its totals.
    const writeContract = db.prepare<
      [string, string, string, string | null, string | null, number, bigint, bigint, bigint, bigint, bigint, number, number, number, number]
    >(
      `INSERT INTO fee_contracts (contract_id, client_id, worker_id, fee_schedule_id, tax_rate, payouts, gross, fee_ex_tax, fee_tax, fee, net)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (contract_id) DO UPDATE SET
         client_id = CASE WHEN ? THEN excluded.client_id ELSE client_id END,
         worker_id = CASE WHEN ? THEN excluded.worker_id ELSE worker_id END,
         fee_schedule_id = CASE WHEN ? THEN excluded.fee_schedule_id ELSE fee_schedule_id END,
         tax_rate = CASE WHEN ? THEN excluded.tax_rate ELSE tax_rate END,
         payouts = payouts + excluded.payouts, gross = gross + excluded.gross, fee_ex_tax = fee_ex_tax + excluded.fee_ex_tax,
         fee_tax = fee_tax + excluded.fee_tax, fee = fee + excluded.fee, net = net + excluded.net`,
    );
    const addToDay = db.prepare<[string, number, bigint, bigint, bigint, bigint]>(
      `INSERT INTO fee_revenue_daily (tokyo_date, payouts, gross, fee_ex_tax, fee_tax, fee) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tokyo_date) DO UPDATE SET
         payouts = payouts + excluded.payouts, gross = gross + excluded.gross, fee_ex_tax = fee_ex_tax + excluded.fee_ex_tax,
         fee_tax = fee_tax + excluded.fee_tax, fee = fee + excluded.fee`,
    );

    // Offers, acceptances and payouts are gathered per contract, payouts per day, and each row is written
    // once at the end of the batch. Nothing here reads a row, so the order of the writes does not matter.
    const contracts = new Map<string, PendingContractFees>();
    const days = new Map<string, PayoutSums>();
    const nameContract = (contractId: string, identity: ContractIdentity) => {
      const pending = contracts.get(contractId);
      if (pending === undefined) contracts.set(contractId, { identity, identityAssigned: true, ...NO_PAYOUTS, net: 0n });
      else {
        pending.identity = identity;
        pending.identityAssigned = true;
      }
    };
    const tokyoDateOf = lastValueMemo(toJapanCalendarDate);

    return {
      apply(event: RecordedEvent) {
        if (!isContractEvent(event)) return;
        switch (event.type) {
          case 'ContractOffered':
          case 'OfferAmended': {
            const { data } = event;
            nameContract(data.contractId, { clientId: data.clientId, workerId: data.workerId, feeScheduleId: data.feeScheduleId, taxRate: null });
            return;
          }
          case 'ContractAccepted': {
            const { data } = event;
            nameContract(data.contractId, { clientId: data.clientId, workerId: data.workerId, feeScheduleId: data.feeScheduleId, taxRate: data.taxRate });
            return;
          }
          case 'MilestonePaidOut': {
            const { data } = event;
            const occurredAt = event.metadata.occurredAt;
            const tokyoDate = tokyoDateOf(occurredAt);
            payoutRows.add([
              event.position,
              event.id,
              data.contractId,
              data.milestoneId,
              data.clientId,
              data.workerId,
              data.gross,
              data.feeExTax,
              data.feeTax,
              data.fee,
              data.net,
              JSON.stringify(data.tiers),
              data.cumulativeGrossBefore,
              data.cumulativeGrossAfter,
              data.cumulativeFeeAfter,
              data.scheduleId,
              data.taxRate,
              data.cause,
              occurredAt,
              tokyoDate,
            ]);
            const gross = yen(data.gross, 'MilestonePaidOut.gross');
            const feeExTax = yen(data.feeExTax, 'MilestonePaidOut.feeExTax');
            const feeTax = yen(data.feeTax, 'MilestonePaidOut.feeTax');
            const fee = yen(data.fee, 'MilestonePaidOut.fee');
            let contract = contracts.get(data.contractId);
            if (contract === undefined) {
              // Names a contract no offer created, as when a payout creates the row.
              const identity = { clientId: data.clientId, workerId: data.workerId, feeScheduleId: data.scheduleId, taxRate: data.taxRate };
              contract = { identity, identityAssigned: false, ...NO_PAYOUTS, net: 0n };
              contracts.set(data.contractId, contract);
            }
            addPayout(contract, gross, feeExTax, feeTax, fee);
            contract.net += yen(data.net, 'MilestonePaidOut.net');
            let day = days.get(tokyoDate);
            if (day === undefined) {
              day = { ...NO_PAYOUTS };
              days.set(tokyoDate, day);
            }
            addPayout(day, gross, feeExTax, feeTax, fee);
            return;
          }
          default:
            return;
        }
      },
      flush() {
        payoutRows.flush();
        for (const [contractId, { identity, identityAssigned, payouts, gross, feeExTax, feeTax, fee, net }] of contracts) {
          const assigned = identityAssigned ? 1 : 0;
          writeContract.run(
            contractId,
            identity.clientId,
            identity.workerId,
            identity.feeScheduleId,
            identity.taxRate,
            payouts,
            gross,
            feeExTax,
            feeTax,
            fee,
            net,
            assigned,
            assigned,
            assigned,
            assigned,
          );
        }
        for (const [tokyoDate, sums] of days) addToDay.run(tokyoDate, sums.payouts, sums.gross, sums.feeExTax, sums.feeTax, sums.fee);
        contracts.clear();
        days.clear();
      },
    };
  },
});

/** Payouts added up since their row was last written. */
interface PayoutSums {
  payouts: number;
  gross: bigint;
  feeExTax: bigint;
  feeTax: bigint;
  fee: bigint;
}

interface ContractIdentity {
  clientId: string;
  workerId: string;
  feeScheduleId: string | null;
  taxRate: string | null;
}

interface PendingContractFees extends PayoutSums {
  /**
   * The identity the row takes: that of the batch's last offer or acceptance, or else, for a row the
   * batch's first payout would create, that payout's.
   */
  identity: ContractIdentity;
  /** An offer or acceptance set it: an existing row takes it as well. */
  identityAssigned: boolean;
  net: bigint;
}

const NO_PAYOUTS: PayoutSums = { payouts: 0, gross: 0n, feeExTax: 0n, feeTax: 0n, fee: 0n };

function addPayout(sums: PayoutSums, gross: bigint, feeExTax: bigint, feeTax: bigint, fee: bigint): void {
  sums.payouts++;
  sums.gross += gross;
  sums.feeExTax += feeExTax;
  sums.feeTax += feeTax;
  sums.fee += fee;
}
