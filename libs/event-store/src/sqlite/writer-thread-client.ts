/**
 * The store's side of its writer thread (writer-thread.ts): starts the worker, sends requests and matches
 * the replies, which come back in the order of the requests.
 *
 * A worker cannot load TypeScript by itself: from compiled JavaScript it loads writer-thread.js directly;
 * where the store itself runs as TypeScript (ts-node, jest) it gets the writer thread's modules transpiled
 * (typescript-worker.ts). The writer thread imports only relative modules, so no path aliases are needed.
 */

import { Worker } from 'node:worker_threads';
import { EventStoreUnavailableError } from '../port';
import { startTypeScriptWorker } from './typescript-worker';
import type { SqliteSynchronousMode } from './sqlite-database';
import type { AppendOutcome, BatchAppend } from './batch-writer';
import { TransferredFailure, WRITER_THREAD_ROLE, WriterReply, WriterRequest, WriterThreadData } from './writer-thread';

/** A failure on the writer thread, with the SQLite code that classifies it. */
const failureFromThread = ({ name, message, code }: TransferredFailure): Error =>
  Object.assign(new Error(message), { name, ...(code === undefined ? {} : { code }) });

const unexpectedReply = (request: string, reply: WriterReply) => new Error(`The writer thread answered a ${request} with ${reply.kind}`);

interface WaitingRequest {
  resolve(reply: WriterReply): void;
  reject(error: unknown): void;
}

export interface WriterThreadOptions {
  file: string;
  synchronous?: SqliteSynchronousMode;
  busyTimeoutMs?: number;
}

export class WriterThreadClient {
  private readonly waiting: WaitingRequest[] = [];
  private readonly exited: Promise<void>;
  private stoppedBy: EventStoreUnavailableError | undefined;

  private constructor(private readonly worker: Worker) {
    // Idle, the thread does not keep the process alive; a request in flight does, until its reply.
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const request = this.waiting.shift();
      if (this.waiting.length === 0) worker.unref();
      request?.resolve(reply);
    });
    worker.on('error', (error) => this.stop(error));
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.stop(new Error(`the writer thread exited with code ${code}`));
        resolve();
      });
    });
  }

  static start(options: WriterThreadOptions): WriterThreadClient {
    const entry = require.resolve('./writer-thread');
    const data: WriterThreadData = {
      role: WRITER_THREAD_ROLE,
      file: options.file,
      synchronous: options.synchronous,
      busyTimeoutMs: options.busyTimeoutMs,
    };
    // Not the process's own flags: its --require preloads (a ts-node, a benchmark's probes reading stdin)
    // have no business in the writer thread.
    const workerOptions = { workerData: data, execArgv: [] };
    return new WriterThreadClient(entry.endsWith('.ts') ? startTypeScriptWorker(entry, workerOptions) : new Worker(entry, workerOptions));
  }

  /** False once the thread has stopped (closed, or died): every later request is refused. */
  get running(): boolean {
    return this.stoppedBy === undefined;
  }

  /**
   * Commits the batch on the writer thread: what became of each append, and how long the transaction took.
   * Rejects when the transaction as a whole failed (with its SQLite code) or the thread stopped.
   */
  async commit(batch: BatchAppend[], recordedAt: string): Promise<{ outcomes: AppendOutcome[]; durationMs: number }> {
    const reply = await this.request({ kind: 'commit', batch, recordedAt });
    if (reply.kind === 'committed') return reply;
    throw reply.kind === 'failed' ? failureFromThread(reply.failure) : unexpectedReply('commit', reply);
  }

  /** The simple value of a PRAGMA run on the writing connection. */
  async pragma(pragma: string): Promise<unknown> {
    const reply = await this.request({ kind: 'pragma', pragma });
    if (reply.kind !== 'pragma') throw unexpectedReply('pragma', reply);
    if (reply.failure !== undefined) throw failureFromThread(reply.failure);
    return reply.value;
  }

  private request(message: WriterRequest): Promise<WriterReply> {
    if (this.stoppedBy !== undefined) return Promise.reject(this.stoppedBy);
    return new Promise<WriterReply>((resolve, reject) => {
      if (this.waiting.length === 0) this.worker.ref();
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  /** Closes the writing connection and waits for the thread to end. */
  async close(): Promise<void> {
    // Until the thread has ended: a caller awaiting close() expects the process to wait for it.
    this.worker.ref();
    if (this.stoppedBy === undefined) await this.request({ kind: 'close' }).catch(() => undefined);
    this.worker.ref();
    await this.exited;
  }

  private stop(cause: unknown): void {
    this.stoppedBy ??= new EventStoreUnavailableError("The SQLite event store's writer thread stopped", 1, cause);
    // Whether a batch in flight committed is unknown: its appends fail as unavailable and are retried
    // by their callers, whose deterministic event ids make a repeated append a recognised duplicate.
    for (const request of this.waiting.splice(0)) request.reject(this.stoppedBy);
  }
}
