/**
 * The writer thread of the SQLite event store: a worker_threads Worker that owns the store's only writing
 * connection and runs its group commits, so that the statements and the fsync of each COMMIT take no time
 * from the thread that serves requests. The store posts one batch at a time and settles its appends from
 * the reply, which is sent only after COMMIT returned.
 *
 * This module is the worker's entry: it must import nothing but relative modules and packages, since a
 * worker loads it without the path aliases of the service (see writer-thread-client.ts).
 */

import { parentPort, workerData } from 'node:worker_threads';
import { AppendOutcome, BatchAppend, SqliteBatchWriter } from './batch-writer';
import { openSqliteDatabase, SqliteSynchronousMode } from './sqlite-database';

export const WRITER_THREAD_ROLE = 'sqlite-event-store-writer';

export interface WriterThreadData {
  role: typeof WRITER_THREAD_ROLE;
  file: string;
  synchronous?: SqliteSynchronousMode;
  busyTimeoutMs?: number;
}

export type WriterRequest =
  | { kind: 'commit'; batch: BatchAppend[]; recordedAt: string }
  | { kind: 'pragma'; pragma: string }
  | { kind: 'close' };

/** A failure as it crosses threads: SQLite's extended code is what tells "cannot write now" from a bug. */
export interface TransferredFailure {
  name: string;
  message: string;
  code?: string;
}

export type WriterReply =
  | { kind: 'committed'; outcomes: AppendOutcome[]; durationMs: number }
  | { kind: 'failed'; failure: TransferredFailure; durationMs: number }
  | { kind: 'pragma'; value?: unknown; failure?: TransferredFailure }
  | { kind: 'closed' };

export const transferableFailure = (error: unknown): TransferredFailure => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
};

function serve(data: WriterThreadData): void {
  const port = parentPort!;
  const db = openSqliteDatabase(data.file, { synchronous: data.synchronous, busyTimeoutMs: data.busyTimeoutMs });
  const writer = new SqliteBatchWriter(db);
  const reply = (message: WriterReply) => port.postMessage(message);

  port.on('message', (request: WriterRequest) => {
    switch (request.kind) {
      case 'commit': {
        const started = performance.now();
        try {
          const outcomes = writer.commit(request.batch, request.recordedAt);
          reply({ kind: 'committed', outcomes, durationMs: performance.now() - started });
        } catch (error) {
          reply({ kind: 'failed', failure: transferableFailure(error), durationMs: performance.now() - started });
        }
        return;
      }
      case 'pragma': {
        try {
          reply({ kind: 'pragma', value: db.pragma(request.pragma, { simple: true }) });
        } catch (error) {
          reply({ kind: 'pragma', failure: transferableFailure(error) });
        }
        return;
      }
      case 'close':
        db.close();
        reply({ kind: 'closed' });
        port.close();
    }
  });
}

const data = workerData as Partial<WriterThreadData> | undefined;
if (parentPort !== null && data?.role === WRITER_THREAD_ROLE) serve(data as WriterThreadData);
