/**
 * The processors' thread: the projections run here, on their own connections (a read connection to the
 * event log, opened through the store's own code, and the read-model database, of which this thread is the
 * only writer of the projections' tables), woken by the main thread after each commit of its store. It
 * posts every committed checkpoint back, from which the main thread answers `waitFor` and `status`.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Clock, systemClock } from '@escrow/clock';
import type { EventStore } from '@escrow/event-store/port';
import { PROJECTIONS } from '@escrow/projections/registry';
import { ProjectionEngine } from '@escrow/projections/runtime/projection-engine';
import { openReadModelDatabase } from '@escrow/projections/runtime/read-model-database';
import { ToldLogReader } from '@escrow/projections/runtime/told-log-reader';
import { openLogReadConnection } from '../store/log-read-connection';
import type { FromProcessorsWorker, ProcessorsWorkerData, ProjectionCommit, ToProcessorsWorker } from './processors-thread-messages';

if (parentPort === null) throw new Error('processors-worker runs as a worker thread of the service');
const port = parentPort;
const data = workerData as ProcessorsWorkerData;
const post = (message: FromProcessorsWorker): void => port.postMessage(message);
const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** The main thread's clock (a test's, or one with CLOCK_OFFSET) as of its last message: the checkpoints' updated_at follow it. */
class FollowedClock implements Clock {
  private offsetMs = 0;

  follow(mainNowMs: number): void {
    this.offsetMs = mainNowMs - systemClock.now().getTime();
  }

  now(): Date {
    return new Date(systemClock.now().getTime() + this.offsetMs);
  }
}
const clock = new FollowedClock();
clock.follow(data.now);
const now = (): Date => clock.now();

async function run(): Promise<void> {
  let opened: { store: EventStore; db: ReturnType<typeof openReadModelDatabase> };
  try {
    const store = openLogReadConnection(data.dataDir, clock);
    try {
      opened = { store, db: openReadModelDatabase(data.readModelFile) };
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    post({ type: 'start-failed', message: describe(error) });
    port.close();
    return;
  }
  const { store, db } = opened;
  const log = new ToldLogReader(store);
  let failing = false;
  const engine = new ProjectionEngine({
    store: log,
    storeId: data.storeId,
    db,
    projections: PROJECTIONS,
    clock: now,
    onError: (error, source) => {
      failing = true;
      post({ type: 'failed', source, message: describe(error), failingSince: engine.failingSince, failures: engine.projectionFailures() });
    },
    onCommitted: (advanced, last, at) => {
      commits.push({ advanced, last, at });
      reportSoon();
    },
    onDelivered: () => {
      delivered = true;
      reportSoon();
    },
  });
  // One report per turn: a batch commits a transaction per projection, all on the same turn.
  let commits: ProjectionCommit[] = [];
  let delivered = false;
  let reportPending = false;
  const reportSoon = (): void => {
    if (reportPending) return;
    reportPending = true;
    setImmediate(() => {
      reportPending = false;
      post({ type: 'progress', commits, delivered });
      commits = [];
      delivered = false;
      // After the batch that cleared it: the subscription forgets its failure once its handler returns.
      if (failing && engine.failingSince === undefined) {
        failing = false;
        post({ type: 'recovered' });
      }
    });
  };
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await engine.stop();
    await log.close();
    await store.close();
    db.close();
    port.close();
  };
  port.on('message', (message: ToProcessorsWorker) => {
    if (message.type === 'log-grew') {
      clock.follow(message.now);
      log.logGrew();
    } else if (message.type === 'stop') {
      stopping ??= stop();
    }
  });
  try {
    await engine.start();
  } catch (error) {
    post({ type: 'start-failed', message: describe(error) });
    await stop().catch(() => undefined);
    return;
  }
  post({ type: 'ready', projections: engine.projectionNames });
}

void run();
