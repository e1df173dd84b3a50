import { formatEscrowEventTypes, formatEscrowMovementOf, type PayoutFigures } from '@escrow/domain/escrow';
import { toJapanCalendarDate } from '@escrow/domain/money';
import type { RecordedEvent } from '@escrow/event-store/port';
import { declareProjection } from '../runtime/declared-projection';
import { lastValueMemo } from '../runtime/last-value-memo';
import { insert, upsert } from '../runtime/row-changes';

export const FEES_PROJECTION = 'fees';

const CONTRACTS = 'fee_contracts';
const PAYOUTS = 'fee_payouts';
const DAYS = 'fee_revenue_daily';

/** The parties and fee terms of a contract an offer or an acceptance states; the tax rate is fixed at acceptance. */
// Events of one append share their times: the date is worked out once per append rather than once per event.
const tokyoDateOf = lastValueMemo(toJapanCalendarDate);

const identity = (data: { contractId: string; clientId: string; workerId: string; feeScheduleId: string | null }, taxRate: string | null) =>
  upsert(
    CONTRACTS,
    { contract_id: data.contractId },
    { set: { client_id: data.clientId, worker_id: data.workerId, fee_schedule_id: data.feeScheduleId, tax_rate: taxRate } },
  );

interface PayoutRow {
  id: string;
  position: number;
  occurredAt: string;
  contractId: string;
  milestoneId: string;
  clientId: string;
  workerId: string;
  cause: string;
  figures: PayoutFigures;
}

/** A payout's row, its contract's running totals (the row made by the payout when no offer named the contract) and its day's revenue. */
function payout({ id, position, occurredAt, contractId, milestoneId, clientId, workerId, cause, figures }: PayoutRow) {
  const tokyoDate = tokyoDateOf(occurredAt);
  const sums = { payouts: 1, gross: figures.gross, fee_ex_tax: figures.feeExTax, fee_tax: figures.feeTax, fee: figures.fee };
  return [
    insert(PAYOUTS, {
      position,
      event_id: id,
      contract_id: contractId,
      milestone_id: milestoneId,
      client_id: clientId,
      worker_id: workerId,
      gross: figures.gross,
      fee_ex_tax: figures.feeExTax,
      fee_tax: figures.feeTax,
      fee: figures.fee,
      net: figures.net,
      tiers: JSON.stringify(figures.tiers),
      cumulative_gross_before: figures.cumulativeGrossBefore,
      cumulative_gross_after: figures.cumulativeGrossAfter,
      cumulative_fee_after: figures.cumulativeFeeAfter,
      schedule_id: figures.scheduleId,
      tax_rate: figures.taxRate,
      cause,
      occurred_at: occurredAt,
      tokyo_date: tokyoDate,
    }),
    upsert(
      CONTRACTS,
      { contract_id: contractId },
      {
        add: { ...sums, net: figures.net },
        createWith: { client_id: clientId, worker_id: workerId, fee_schedule_id: figures.scheduleId, tax_rate: figures.taxRate },
      },
    ),
    upsert(DAYS, { tokyo_date: tokyoDate }, { add: sums }),
  ];
}

/** The payout of an hourly week, a task submission or a competition prize, under its escrow's id (`escrowIdOf`). */
const formatPayout = (event: RecordedEvent) => {
  const movement = formatEscrowMovementOf(event);
  if (movement?.kind !== 'paidOut') return undefined;
  const { escrowId, lineId, clientId, workerId, cause, payout: figures } = movement;
  return payout({ id: event.id, position: event.position, occurredAt: event.metadata.occurredAt, contractId: escrowId, milestoneId: lineId, clientId, workerId, cause, figures });
};

/**
 * System fees: one row per payout with its full breakdown, running totals per contract, and platform
 * fee revenue per Tokyo calendar day (months are sums of days). The day of a payout is the date in
 * Japan (UTC+9) of the event's occurredAt.
 */
export const feesProjection = declareProjection({
  name: FEES_PROJECTION,
  version: 1,
  tables: {
    [CONTRACTS]: {
      key: ['contract_id'],
      ddl: `
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
        ) STRICT, WITHOUT ROWID;`,
    },
    [PAYOUTS]: {
      ddl: `
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
        CREATE INDEX IF NOT EXISTS fee_payouts_by_contract ON fee_payouts (contract_id, position);`,
    },
    [DAYS]: {
      key: ['tokyo_date'],
      ddl: `
        CREATE TABLE IF NOT EXISTS fee_revenue_daily (
          tokyo_date TEXT    PRIMARY KEY,
          payouts    INTEGER NOT NULL,
          gross      INTEGER NOT NULL,
          fee_ex_tax INTEGER NOT NULL,
          fee_tax    INTEGER NOT NULL,
          fee        INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;`,
    },
  },
  on: {
    ContractOffered: ({ data }) => identity(data, null),
    OfferAmended: ({ data }) => identity(data, null),
    ContractAccepted: ({ data }) => identity(data, data.taxRate),
    MilestonePaidOut: ({ data, id, position, metadata: { occurredAt } }) =>
      payout({ id, position, occurredAt, contractId: data.contractId, milestoneId: data.milestoneId, clientId: data.clientId, workerId: data.workerId, cause: data.cause, figures: data }),
    ...Object.fromEntries(formatEscrowEventTypes('paidOut').map((type) => [type, formatPayout])),
  },
});
