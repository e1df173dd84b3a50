import type Database from 'better-sqlite3';
import { CompletionRate, completionRate } from './completion-rate';
import type { CompletionParty } from './completion-rates.projection';

/** Read side of the completion rates. */
export class CompletionRateQueries {
  private statement: Database.Statement<[CompletionParty, string], [number, number]> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** The party's rate; a party with no ended contract (or unknown) has rate null. */
  rateOf(party: CompletionParty, partyId: string): CompletionRate {
    this.statement ??= this.db
      .prepare<[CompletionParty, string], [number, number]>('SELECT completed, terminated FROM completion_counts WHERE party = ? AND party_id = ?')
      .raw();
    const [completed, terminated] = this.statement.get(party, partyId) ?? [0, 0];
    return completionRate(completed, terminated);
  }
}
