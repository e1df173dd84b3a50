import type Database from 'better-sqlite3';
import { isContractEvent } from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import { batchingProjection, type Projection, type ProjectionBatch } from '../projection';

export const COMPLETION_RATES_PROJECTION = 'completion-rates';

export type CompletionParty = 'client' | 'worker';

/**
 * プロジェクト完了率: per client and per worker, how many of their contracts ended completed (every
 * milestone inspected and settled) and how many ended terminated. Offers that were declined or
 * withdrawn never became contracts and do not count.
 */
export const completionRatesProjection: Projection = batchingProjection({
  name: COMPLETION_RATES_PROJECTION,
  version: 1,
  tables: ['completion_counts'],

  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS completion_counts (
        party      TEXT    NOT NULL CHECK (party IN ('client', 'worker')),
        party_id   TEXT    NOT NULL,
        completed  INTEGER NOT NULL DEFAULT 0,
        terminated INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (party, party_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },

  prepareBatch(db: Database.Database): ProjectionBatch {
    const addCounts = db.prepare<[CompletionParty, string, number, number]>(
      `INSERT INTO completion_counts (party, party_id, completed, terminated) VALUES (?, ?, ?, ?)
       ON CONFLICT (party, party_id) DO UPDATE SET completed = completed + excluded.completed, terminated = terminated + excluded.terminated`,
    );
    // Counted per party during the batch, written once per party at its end.
    const pending = new Map<string, PendingCounts>();
    const count = (party: CompletionParty, partyId: string, outcome: 'completed' | 'terminated') => {
      const key = `${party}:${partyId}`;
      let counts = pending.get(key);
      if (counts === undefined) {
        counts = { party, partyId, completed: 0, terminated: 0 };
        pending.set(key, counts);
      }
      counts[outcome]++;
    };

    return {
      apply(event: RecordedEvent) {
        if (!isContractEvent(event)) return;
        switch (event.type) {
          case 'ContractCompleted': {
            const { data } = event;
            count('client', data.clientId, 'completed');
            count('worker', data.workerId, 'completed');
            return;
          }
          case 'ContractTerminated': {
            const { data } = event;
            count('client', data.clientId, 'terminated');
            count('worker', data.workerId, 'terminated');
            return;
          }
          default:
            return;
        }
      },
      flush() {
        for (const { party, partyId, completed, terminated } of pending.values()) addCounts.run(party, partyId, completed, terminated);
        pending.clear();
      },
    };
  },
});

interface PendingCounts {
  party: CompletionParty;
  partyId: string;
  completed: number;
  terminated: number;
}
