/**
 * Where the replay reads a contract's history: the service's own event store (read-only), or the service's history
 * route. Either way the history is the one `contractHistoryOf` builds, the route's own computation.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { contractStreamId } from '@escrow/domain/contract';
import type { RecordedEvent } from '@escrow/event-store/port';
import { EventStoreDbEventStore } from '@escrow/event-store/eventstoredb/eventstoredb-event-store';
import { EVENT_COLUMNS, type EventRow, readEvents } from '@escrow/event-store/sqlite/event-rows';
import { type ContractHistory, contractHistoryOf } from '@escrow/projections/contract-history/contract-history';
import { loadConfig } from '../../apps/api/src/config/app-config';
import type { ServiceSource } from './arguments';

/** The contract, the asOf or the credentials cannot be answered as given: the caller can fix it (exit code 2). */
export class RefusedError extends Error {}

/** The store or the service failed to answer (exit code 1). */
export class SourceError extends Error {}

/**
 * The contract's stream from the SQLite file opened read-only: it never creates, migrates or locks the file, so it
 * is safe while the service runs (a reader of a WAL database sees the last commit and blocks no writer).
 */
function readSqliteStream(dataDir: string, streamId: string): RecordedEvent[] {
  const file = join(dataDir, 'events.sqlite');
  if (!existsSync(file)) throw new RefusedError(`No event store at ${file}: check DATA_DIR.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const statement = db.prepare<[string, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision LIMIT ?`).raw();
    return readEvents(statement, [streamId, -1]);
  } finally {
    db.close();
  }
}

async function readEventStoreDbStream(connectionString: string, streamId: string): Promise<RecordedEvent[]> {
  const store = EventStoreDbEventStore.connect(connectionString);
  try {
    return await store.readStream(streamId);
  } finally {
    await store.close();
  }
}

/** The history from the event store of the service's configuration (DATA_DIR, EVENT_STORE, EVENTSTORE_CONNECTION_STRING). */
export async function historyFromStore(contractId: string, asOf: string | undefined, env: NodeJS.ProcessEnv): Promise<ContractHistory> {
  const config = loadConfig(env);
  const streamId = contractStreamId(contractId);
  const recorded =
    config.eventStore === 'eventstoredb' ? await readEventStoreDbStream(config.eventStoreConnectionString!, streamId) : readSqliteStream(config.dataDir, streamId);
  if (recorded.length === 0) throw new RefusedError(`Contract ${contractId} does not exist in this event store.`);
  return contractHistoryOf(contractId, recorded, asOf);
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field?: string; rule?: string; message?: string }[];
}

function problemText(status: number, text: string): string {
  let problem: Problem | undefined;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    return `${status} ${text.slice(0, 300)}`;
  }
  const errors = (problem.errors ?? []).map((error) => `${error.field}: ${error.message ?? error.rule}`);
  return [`${status}${problem.code ? ` ${problem.code}` : ''}`, problem.detail ?? problem.title, ...errors].filter(Boolean).join(': ');
}

const REQUEST_TIMEOUT_MS = 30_000;

/** The history from the service's GET /v1/contracts/{id}/history, asked as a support staff member. */
export async function historyFromService(contractId: string, asOf: string | undefined, service: ServiceSource): Promise<ContractHistory> {
  const url = new URL(`v1/contracts/${encodeURIComponent(contractId)}/history`, service.url.endsWith('/') ? service.url : `${service.url}/`);
  if (asOf !== undefined) url.searchParams.set('asOf', asOf);
  const headers: Record<string, string> = { accept: 'application/json', 'x-actor-id': service.actorId, 'x-actor-role': 'support' };
  if (service.token !== undefined) headers.authorization = `Bearer ${service.token}`;
  let response: Response;
  try {
    // A redirect would carry the token elsewhere: the service never answers one, so one is refused.
    response = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new SourceError(`GET ${url.origin}${url.pathname}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.ok) {
    try {
      const history = JSON.parse(text) as ContractHistory;
      if (history.contractId === contractId && Array.isArray(history.events)) return history;
    } catch {
      // fall through: not the history's shape
    }
    throw new SourceError(`GET ${url.origin}${url.pathname}: the answer is not a contract history`);
  }
  const message = `The service refused the history of ${contractId}: ${problemText(response.status, text)}`;
  // What the caller can correct (the contract, asOf, the token or the actor) is a refusal; the rest a failure.
  throw [400, 401, 403, 404].includes(response.status) ? new RefusedError(message) : new SourceError(message);
}
