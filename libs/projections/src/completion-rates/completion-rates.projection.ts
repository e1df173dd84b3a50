import { declareProjection } from '../runtime/declared-projection';
import { upsert } from '../runtime/row-changes';

export const COMPLETION_RATES_PROJECTION = 'completion-rates';

export type CompletionParty = 'client' | 'worker';

const COUNTS = 'completion_counts';

/** One more contract ended `outcome` for its client and for its worker. */
const countFor = (parties: { clientId: string; workerId: string }, outcome: 'completed' | 'terminated') => [
  upsert(COUNTS, { party: 'client', party_id: parties.clientId }, { add: { [outcome]: 1 } }),
  upsert(COUNTS, { party: 'worker', party_id: parties.workerId }, { add: { [outcome]: 1 } }),
];

/**
 * プロジェクト完了率: per client and per worker, how many of their contracts ended completed (every
 * milestone inspected and settled) and how many ended terminated. Offers that were declined or
 * withdrawn never became contracts and do not count. Hourly contracts count as well (docs/formats.md).
 */
export const completionRatesProjection = declareProjection({
  name: COMPLETION_RATES_PROJECTION,
  version: 2,
  tables: {
    [COUNTS]: {
      key: ['party', 'party_id'],
      ddl: `
        CREATE TABLE IF NOT EXISTS completion_counts (
          party      TEXT    NOT NULL CHECK (party IN ('client', 'worker')),
          party_id   TEXT    NOT NULL,
          completed  INTEGER NOT NULL DEFAULT 0,
          terminated INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (party, party_id)
        ) STRICT, WITHOUT ROWID;`,
    },
  },
  on: {
    ContractCompleted: ({ data }) => countFor(data, 'completed'),
    ContractTerminated: ({ data }) => countFor(data, 'terminated'),
    // An hourly contract is a project contract too: it ends completed when a week was paid, terminated when none was.
    HourlyContractEnded: ({ data }) => countFor(data, data.outcome),
  },
});
