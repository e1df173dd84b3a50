import type Database from 'better-sqlite3';
import type { ContractAcceptedData, ContractOfferedData, MilestonePaidOutData, OfferAmendedData } from '@escrow/domain/contract';
import { toJapanCalendarDate } from '@escrow/domain/money';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const FEES_PROJECTION = 'fees';

/**
 * System fees: one row per payout with its full breakdown, running totals per contract, and platform
 * fee revenue per Tokyo calendar day (months are sums of days). The day of a payout is the date in
 * Japan (UTC+9) of the event's occurredAt.
 */
export const feesProjection: Projection = {
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

  prepare(db: Database.Database) {
    const upsertContract = db.prepare<[string, string, string, string | null, string | null]>(
      `INSERT INTO fee_contracts (contract_id, client_id, worker_id, fee_schedule_id, tax_rate) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (contract_id) DO UPDATE SET
         client_id = excluded.client_id, worker_id = excluded.worker_id,
         fee_schedule_id = excluded.fee_schedule_id, tax_rate = excluded.tax_rate`,
    );
    const insertPayout = db.prepare(
      `INSERT INTO fee_payouts (position, event_id, contract_id, milestone_id, client_id, worker_id, gross, fee_ex_tax, fee_tax, fee, net,
         tiers, cumulative_gross_before, cumulative_gross_after, cumulative_fee_after, schedule_id, tax_rate, cause, occurred_at, tokyo_date)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const addToContract = db.prepare<[string, string, string, string, string, number, number, number, number, number]>(
      `INSERT INTO fee_contracts (contract_id, client_id, worker_id, fee_schedule_id, tax_rate, payouts, gross, fee_ex_tax, fee_tax, fee, net)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
       ON CONFLICT (contract_id) DO UPDATE SET
         payouts = payouts + 1, gross = gross + excluded.gross, fee_ex_tax = fee_ex_tax + excluded.fee_ex_tax,
         fee_tax = fee_tax + excluded.fee_tax, fee = fee + excluded.fee, net = net + excluded.net`,
    );
    const addToDay = db.prepare<[string, number, number, number, number]>(
      `INSERT INTO fee_revenue_daily (tokyo_date, payouts, gross, fee_ex_tax, fee_tax, fee) VALUES (?, 1, ?, ?, ?, ?)
       ON CONFLICT (tokyo_date) DO UPDATE SET
         payouts = payouts + 1, gross = gross + excluded.gross, fee_ex_tax = fee_ex_tax + excluded.fee_ex_tax,
         fee_tax = fee_tax + excluded.fee_tax, fee = fee + excluded.fee`,
    );

    return (event: RecordedEvent) => {
      switch (event.type) {
        case 'ContractOffered':
        case 'OfferAmended': {
          const data = event.data as unknown as ContractOfferedData | OfferAmendedData;
          upsertContract.run(data.contractId, data.clientId, data.workerId, data.feeScheduleId, null);
          return;
        }
        case 'ContractAccepted': {
          const data = event.data as unknown as ContractAcceptedData;
          upsertContract.run(data.contractId, data.clientId, data.workerId, data.feeScheduleId, data.taxRate);
          return;
        }
        case 'MilestonePaidOut': {
          const data = event.data as unknown as MilestonePaidOutData;
          const occurredAt = event.metadata.occurredAt;
          const tokyoDate = toJapanCalendarDate(occurredAt);
          insertPayout.run(
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
          );
          addToContract.run(data.contractId, data.clientId, data.workerId, data.scheduleId, data.taxRate, data.gross, data.feeExTax, data.feeTax, data.fee, data.net);
          addToDay.run(tokyoDate, data.gross, data.feeExTax, data.feeTax, data.fee);
          return;
        }
        default:
          return;
      }
    };
  },
};
