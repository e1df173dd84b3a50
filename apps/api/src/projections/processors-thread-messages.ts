/** What the service's main thread and the processors' worker thread tell each other (structured-clone data only). */

import type { ProjectionFailure } from '@escrow/projections/runtime/projection-failures';
import type { ProjectionEngineErrorSource } from '@escrow/projections/runtime/projection-engine-options';

/** One projection transaction: the projections whose checkpoint moved to `last`, and when. */
export interface ProjectionCommit {
  advanced: readonly string[];
  last: number;
  at: string;
}

/** Handed to the worker when it starts. */
export interface ProcessorsWorkerData {
  /** DATA_DIR: the worker opens its own connection to the event store there, and only reads it. */
  dataDir: string;
  readModelFile: string;
  /** The store id the main thread checked the read models against (undefined: the store did not answer). */
  storeId: string | undefined;
  /** The service's clock when the worker was started, in epoch milliseconds (checkpoints' updated_at follow it). */
  now: number;
  /** Only where the service runs from its TypeScript sources: how the worker loads them (see processors-thread.ts). */
  typescript?: {
    entry: string;
    compiler: string;
    tsconfigPaths: string;
    compilerOptions: Record<string, unknown>;
    cacheDir: string;
    baseUrl: string;
    paths: Record<string, string[]>;
  };
}

export type ToProcessorsWorker =
  /** The main thread's store committed (its clock now, in epoch milliseconds). */
  | { type: 'log-grew'; now: number }
  | { type: 'stop' };

export type FromProcessorsWorker =
  /** The engine has brought its tables to their versions and runs. */
  | { type: 'ready'; projections: string[] }
  /**
   * Projection transactions committed since the last report (in order), and whether the subscription
   * delivered a batch meanwhile (the read models followed the log: what waits on them may look).
   */
  | { type: 'progress'; commits: ProjectionCommit[]; delivered: boolean }
  /** A passing failure (retried on its own), with what health and /v1/projections say now. */
  | { type: 'failed'; source: ProjectionEngineErrorSource; message: string; failingSince: string | undefined; failures: ProjectionFailure[] }
  /** The failures were cleared by a commit. */
  | { type: 'recovered' }
  /** The start failed; the worker ends. */
  | { type: 'start-failed'; message: string };
