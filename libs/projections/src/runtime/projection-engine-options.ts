/** What a projection engine is built from, what it reports when a processor fails, and what a rebuild answers. */

import type Database from 'better-sqlite3';
import type { EventStore } from '@escrow/event-store/port';
import type { Projection } from '../projection';
import type { RetryPolicy } from './backoff';
import type { ParkedEvent } from './parked-events';
import type { Reactor } from './reactor';
import type { Upcaster } from './upcaster';

/** Events a reactor reads from the log at once. */
export const DEFAULT_REACTOR_PAGE_SIZE = 500;

export type ProjectionEngineErrorSource =
  | { kind: 'subscription' }
  | { kind: 'projection'; projection: string }
  | { kind: 'catch-up' }
  | { kind: 'reactor'; reactor: string; event?: { position: number; id: string; type: string } };

export interface ProjectionEngineOptions {
  store: EventStore;
  /** The read-model database; the engine never closes it. */
  db: Database.Database;
  projections: readonly Projection[];
  reactors?: readonly Reactor[];
  /** Turns stored events into their current shape; by default the domain's one registry (`registryUpcaster`). */
  upcast?: Upcaster;
  /** Most events per batch of the subscription and per page of the catch-up loop, i.e. per projection transaction (default 2000). */
  batchSize?: number;
  /** Most events applied in one transaction by `catchUp` and by `rebuild` on an engine not started (default 250,000). */
  catchUpBatchSize?: number;
  /** Events read from the log at once within those transactions (default 500). */
  catchUpPageSize?: number;
  reactorPageSize?: number;
  /** Back-off before resubscribing, before retrying a failed projection, and between retries of a failed reaction. */
  retry?: Partial<RetryPolicy>;
  /** Source of the checkpoints' updated_at; never seen by handlers. */
  clock?: () => Date;
  /** Id of the store (`EventStore.storeId`), recorded by every checkpoint created or reset from zero. */
  storeId?: string;
  /** Told about every passing failure; the engine keeps retrying on its own. */
  onError?: (error: unknown, source: ProjectionEngineErrorSource) => void;
  /** Failures of reactions that the host knows to be passing (e.g. its own "unavailable" answers). */
  isPassingFailure?: (error: unknown) => boolean;
  /** Told about every event a reactor parked. */
  onParked?: (parked: ParkedEvent) => void;
  /** Told after each batch the subscription delivers: the log has grown (wakes processors kept outside the engine). */
  onDelivered?: () => void;
  /**
   * Whether the engine subscribes to the log (default true). An engine that only runs reactors while the
   * projections run elsewhere reads nothing for them: its host calls `logGrew()` after each commit instead.
   */
  subscribe?: boolean;
  /** Told after each projection transaction commits: which projections moved their checkpoint to `last`, and when. */
  onCommitted?: (advanced: readonly string[], last: number, at: string) => void;
}

export interface RebuiltProjection {
  name: string;
  version: number;
  /** Checkpoint before the rebuild. */
  previousPosition: number;
  /** Checkpoint once the rebuild caught up. */
  position: number;
}

export interface RebuildReport {
  projections: RebuiltProjection[];
  /** Store head when the rebuild started; every rebuilt projection reached at least it. */
  targetPosition: number;
  /** Events read from the log while rebuilding. */
  eventsRead: number;
  durationMs: number;
}
