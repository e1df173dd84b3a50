/**
 * `--data-dir`: the service's own files, opened read-only. Every event of events.sqlite (read with the SQLite
 * event store's row reader, in global order, as stored) is hashed into a leaf and compared with the notary's
 * leaf; every published head's root is recomputed from the log and its signature checked with the key the notary
 * recorded for its keyId.
 */

import { createPublicKey, KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keyIdOf, leafBytes, leafHash, SignedTreeHead } from '@escrow/audit';
import type { RecordedEvent } from '@escrow/event-store/port';
import { EVENT_COLUMNS, EventRow, readEvents } from '@escrow/event-store/sqlite/event-rows';
import { describeHead, signatureProblem } from './inputs';
import { StreamingRoot } from './streaming-root';
import type { VerificationResult } from './verify-export';

const PAGE = 10_000;

interface HeadRow {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
  key_id: string;
  last_position: number;
}

interface LeafRow {
  leaf_index: number;
  position: number;
  leaf_hash: Buffer;
}

/** Pages of a keyset query, so that no iterator stays open on a connection that other statements use. */
function* pages<Row>(statement: Database.Statement<[number], Row>, keyOf: (row: Row) => number, from: number): Generator<Row> {
  let next = from;
  for (;;) {
    const rows = statement.all(next);
    yield* rows;
    if (rows.length < PAGE) return;
    next = keyOf(rows[rows.length - 1]) + 1;
  }
}

/** Events after `after`, a page at a time; a row whose stored JSON does not parse is named by its position. */
function* storedEvents(events: Database.Database): Generator<RecordedEvent | { unreadable: number }> {
  const page = events.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw();
  const positions = events.prepare<[number, number], number>('SELECT position FROM events WHERE position > ? ORDER BY position LIMIT ?').pluck();
  let after = 0;
  for (;;) {
    let batch: (RecordedEvent | { unreadable: number })[];
    try {
      batch = readEvents(page, [after, PAGE]);
    } catch {
      // One event at a time, to name the rows that are not JSON any more.
      batch = positions.all(after, PAGE).map((position) => {
        try {
          return readEvents(page, [position - 1, 1])[0];
        } catch {
          return { unreadable: position };
        }
      });
    }
    yield* batch;
    if (batch.length < PAGE) return;
    const last = batch[batch.length - 1];
    after = 'unreadable' in last ? last.unreadable : last.position;
  }
}

function readKeys(notary: Database.Database, problems: string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const { key_id, public_key_pem } of notary.prepare<[], { key_id: string; public_key_pem: string }>('SELECT key_id, public_key_pem FROM notary_keys').all()) {
    try {
      const key = createPublicKey(public_key_pem);
      if (keyIdOf(key) === key_id) keys.set(key_id, key);
      else problems.push(`FAIL: notary_keys: the key recorded as ${key_id} has keyId ${keyIdOf(key)}`);
    } catch {
      problems.push(`FAIL: notary_keys: the key ${key_id} is not a public key in PEM`);
    }
  }
  return keys;
}

export function verifyDataDir(dataDir: string): VerificationResult {
  const eventsFile = join(dataDir, 'events.sqlite');
  const notaryFile = join(dataDir, 'notary.sqlite');
  for (const file of [eventsFile, notaryFile]) if (!existsSync(file)) return { ok: false, lines: [`FAIL: ${file} does not exist`] };
  const events = new Database(eventsFile, { readonly: true, fileMustExist: true });
  const notary = new Database(notaryFile, { readonly: true, fileMustExist: true });
  try {
    return compare(events, notary);
  } finally {
    events.close();
    notary.close();
  }
}

function compare(events: Database.Database, notary: Database.Database): VerificationResult {
  const problems: string[] = [];
  const keys = readKeys(notary, problems);
  const heads = pages(notary.prepare<[number], HeadRow>(`SELECT * FROM notary_tree_heads WHERE tree_size >= ? ORDER BY tree_size LIMIT ${PAGE}`), (row) => row.tree_size, 0);
  const leaves = pages(notary.prepare<[number], LeafRow>(`SELECT leaf_index, position, leaf_hash FROM notary_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ${PAGE}`), (row) => row.leaf_index, 0);
  const root = new StreamingRoot();
  let head = heads.next();
  let headsChecked = 0;
  let leavesCompared = 0;
  let firstDifference: string | undefined;
  let differences = 0;
  let gapReported = false;

  const checkHeadsAt = (size: number, lastPosition: number): void => {
    while (!head.done && head.value.tree_size === size) {
      const row = head.value;
      const signed: SignedTreeHead = { treeSize: row.tree_size, rootHash: row.root_hash, timestamp: row.timestamp, signature: row.signature, keyId: row.key_id };
      const computed = root.root().toString('hex');
      if (computed !== row.root_hash) problems.push(`FAIL: ${describeHead(signed)}: the log's first ${size} events hash to ${computed}`);
      if (size > 0 && row.last_position !== lastPosition) problems.push(`FAIL: ${describeHead(signed)}: its last position is ${row.last_position}, the log's event ${size} is at ${lastPosition}`);
      const badSignature = signatureProblem(signed, keys);
      if (badSignature !== undefined) problems.push(`FAIL: ${describeHead(signed)}: ${badSignature}`);
      headsChecked += 1;
      head = heads.next();
    }
  };

  checkHeadsAt(0, 0);
  for (const event of storedEvents(events)) {
    const index = root.size;
    const position = 'unreadable' in event ? event.unreadable : event.position;
    if (position !== index + 1 && !gapReported) {
      gapReported = true;
      problems.push(`FAIL: event ${index + 1} of the log is at position ${position}: positions are not contiguous`);
    }
    const hash = 'unreadable' in event ? Buffer.alloc(32) : leafHash(leafBytes(event));
    const leaf = leaves.next();
    if (!leaf.done) {
      leavesCompared += 1;
      if (leaf.value.leaf_index !== index || leaf.value.position !== position || !hash.equals(leaf.value.leaf_hash)) {
        differences += 1;
        firstDifference ??= `FAIL: position ${position} differs from the notary's leaf ${leaf.value.leaf_index} (position ${leaf.value.position})${'unreadable' in event ? ': its stored JSON does not parse' : ''}`;
      }
    }
    root.append(hash);
    checkHeadsAt(root.size, position);
  }
  const eventCount = root.size;
  if (firstDifference !== undefined) problems.unshift(firstDifference, `FAIL: ${differences} of ${leavesCompared} notarised events differ from the log`);
  for (; !head.done; head = heads.next()) problems.push(`FAIL: the tree head of size ${head.value.tree_size} covers more events than the log holds (${eventCount})`);
  const extra = leaves.next();
  if (!extra.done) problems.push(`FAIL: the notary has leaves from index ${extra.value.leaf_index} (position ${extra.value.position}) on, past the log's ${eventCount} events`);
  if (problems.length > 0) return { ok: false, lines: problems };
  return {
    ok: true,
    lines: [
      `OK: ${eventCount} events in the log; ${leavesCompared} match the notary's leaves (${eventCount - leavesCompared} not notarised yet); ${headsChecked} published tree heads match the log and their signatures verify`,
    ],
  };
}
