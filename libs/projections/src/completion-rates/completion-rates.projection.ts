import type Database from 'better-sqlite3';
import type { ContractCompletedData, ContractTerminatedData } from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import type { Projection } from '../projection';

export const COMPLETION_RATES_PROJECTION = 'completion-rates';

export type CompletionParty = 'client' | 'worker';

/**
 * プロジェクト完了率: per client and per worker, how many of their contracts ended completed (every
 * milestone inspected and settled) and how many ended terminated. Offers that were declined or
 * withdrawn never became contracts and do not count.
 */
export const completionRatesProjection: Projection = {
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

  prepare(db: Database.Database) {
    const countCompleted = db.prepare<[CompletionParty, string]>(
      `INSERT INTO completion_counts (party, party_id, completed) VALUES (?, ?, 1)
       ON CONFLICT (party, party_id) DO UPDATE SET completed = completed + 1`,
    );
    const countTerminated = db.prepare<[CompletionParty, string]>(
      `INSERT INTO completion_counts (party, party_id, terminated) VALUES (?, ?, 1)
       ON CONFLICT (party, party_id) DO UPDATE SET terminated = terminated + 1`,
    );

    return (event: RecordedEvent) => {
      switch (event.type) {
        case 'ContractCompleted': {
          const data = event.data as unknown as ContractCompletedData;
          countCompleted.run('client', data.clientId);
          countCompleted.run('worker', data.workerId);
          return;
        }
        case 'ContractTerminated': {
          const data = event.data as unknown as ContractTerminatedData;
          countTerminated.run('client', data.clientId);
          countTerminated.run('worker', data.workerId);
          return;
        }
        default:
          return;
      }
    };
  },
};
