/**
 * The notary's own SQLite file, `DATA_DIR/notary.sqlite`: the leaves and complete subtrees of the Merkle tree
 * over the store's global log, every signed tree head ever published, every key a head was signed with, the
 * checkpoint and store id it was built from, and the result of every tamper check. A file of its own, so a
 * projection rebuild never touches it: the tree is the record of what the log held when it was notarised.
 *
 * Durable commits (`synchronous = FULL`): a published head is a promise to auditors, and the nodes under it
 * must survive a power loss with it.
 */

import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqliteDatabase } from '@escrow/event-store/sqlite/sqlite-database';
import type { SignedTreeHead } from '@escrow/audit/tree-head/tree-head';
import type { CompleteSubtrees } from '@escrow/audit/merkle/complete-subtrees';

export const NOTARY_DATABASE_FILE = 'notary.sqlite';
export const notaryDatabaseFile = (dataDir: string): string => join(dataDir, NOTARY_DATABASE_FILE);

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS notary_leaves (
    leaf_index INTEGER PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    leaf_hash BLOB NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS notary_nodes (
    level INTEGER NOT NULL,
    node_index INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, node_index)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS notary_tree_heads (
    tree_size INTEGER PRIMARY KEY,
    root_hash TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL,
    last_position INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS notary_keys (
    key_id TEXT PRIMARY KEY,
    public_key_pem TEXT NOT NULL,
    first_used_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS notary_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    store_id TEXT NOT NULL,
    last_position INTEGER NOT NULL,
    tree_size INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS notary_integrity_checks (
    check_id INTEGER PRIMARY KEY AUTOINCREMENT,
    checked_at TEXT NOT NULL,
    origin TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    recent_from_position INTEGER,
    recent_to_position INTEGER,
    recent_count INTEGER NOT NULL,
    sampled_count INTEGER NOT NULL,
    head_tree_size INTEGER,
    mismatching_positions TEXT NOT NULL,
    tree_mismatching_positions TEXT NOT NULL,
    problems TEXT NOT NULL
  ) STRICT;
`;

/** The notary's checkpoint: the last position notarised and the number of leaves, bound to one store. */
export interface NotaryState {
  storeId: string;
  lastPosition: number;
  treeSize: number;
}

export interface NotarisedLeaf {
  leafIndex: number;
  position: number;
  leafHash: Buffer;
}

/** A stored head, with the last position of the log it covers. */
export interface StoredTreeHead extends SignedTreeHead {
  lastPosition: number;
}

export interface NotaryKey {
  keyId: string;
  publicKeyPem: string;
  firstUsedAt: string;
}

/** The result of one tamper check (see tamper-check.ts). */
export interface IntegrityCheck {
  checkedAt: string;
  /** `service`: the running service's check; `rebuild`: the projection rebuild's full comparison. */
  origin: 'service' | 'rebuild';
  treeSize: number;
  recent: { fromPosition: number; toPosition: number; count: number } | null;
  sampledCount: number;
  /** The latest signed head the stored nodes were checked against; null before the first head. */
  headTreeSize: number | null;
  /** Notarised positions whose event in the store no longer hashes to its leaf (edited, removed or moved). */
  mismatchingPositions: number[];
  /** Positions whose leaf and stored nodes do not reproduce the signed head's root: the notary's own file was changed. */
  treeMismatchingPositions: number[];
  /** Anything else found wrong (a head whose signature does not verify), in words. */
  problems: string[];
}

/** The notary was built from another store's log, or a longer copy of this one; it refuses to go on over this one. */
export class NotaryDoesNotMatchStoreError extends Error {
  constructor(file: string, found: string) {
    super(
      `Refusing to start: the notary's tree in ${file} ${found}. Its signed heads describe another log: run \`npm run projections:rebuild\`, ` +
        'which compares the log with the tree and moves the file aside (kept: it is the evidence of what that log held), so that this log ' +
        'is notarised from its first event.',
    );
    this.name = 'NotaryDoesNotMatchStoreError';
  }
}

export class NotaryDatabase {
  private readonly statements;

  private constructor(readonly db: Database.Database) {
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      state: prepare('SELECT store_id AS storeId, last_position AS lastPosition, tree_size AS treeSize FROM notary_state WHERE id = 1'),
      insertState: prepare('INSERT INTO notary_state (id, store_id, last_position, tree_size, updated_at) VALUES (1, ?, 0, 0, ?)'),
      moveState: prepare('UPDATE notary_state SET last_position = ?, tree_size = ?, updated_at = ? WHERE id = 1 AND tree_size = ?'),
      insertLeaf: prepare('INSERT INTO notary_leaves (leaf_index, position, leaf_hash) VALUES (?, ?, ?)'),
      insertNode: prepare('INSERT INTO notary_nodes (level, node_index, hash) VALUES (?, ?, ?)'),
      leafByIndex: prepare('SELECT leaf_index AS leafIndex, position, leaf_hash AS leafHash FROM notary_leaves WHERE leaf_index = ?'),
      leafByPosition: prepare('SELECT leaf_index AS leafIndex, position, leaf_hash AS leafHash FROM notary_leaves WHERE position = ?'),
      leavesFrom: prepare('SELECT leaf_index AS leafIndex, position, leaf_hash AS leafHash FROM notary_leaves WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?'),
      node: prepare('SELECT hash FROM notary_nodes WHERE level = ? AND node_index = ?').pluck(),
      insertHead: prepare(
        'INSERT INTO notary_tree_heads (tree_size, root_hash, timestamp, signature, key_id, last_position) VALUES (@treeSize, @rootHash, @timestamp, @signature, @keyId, @lastPosition)',
      ),
      latestHead: prepare(`SELECT ${HEAD_COLUMNS} FROM notary_tree_heads ORDER BY tree_size DESC LIMIT 1`),
      headOfSize: prepare(`SELECT ${HEAD_COLUMNS} FROM notary_tree_heads WHERE tree_size = ?`),
      headsAfter: prepare(`SELECT ${HEAD_COLUMNS} FROM notary_tree_heads WHERE tree_size > ? ORDER BY tree_size LIMIT ?`),
      insertKey: prepare('INSERT OR IGNORE INTO notary_keys (key_id, public_key_pem, first_used_at) VALUES (?, ?, ?)'),
      key: prepare('SELECT key_id AS keyId, public_key_pem AS publicKeyPem, first_used_at AS firstUsedAt FROM notary_keys WHERE key_id = ?'),
      insertCheck: prepare(
        `INSERT INTO notary_integrity_checks (checked_at, origin, tree_size, recent_from_position, recent_to_position, recent_count, sampled_count,
           head_tree_size, mismatching_positions, tree_mismatching_positions, problems)
         VALUES (@checkedAt, @origin, @treeSize, @recentFrom, @recentTo, @recentCount, @sampledCount, @headTreeSize, @mismatching, @treeMismatching, @problems)`,
      ),
      latestCheck: prepare('SELECT * FROM notary_integrity_checks ORDER BY check_id DESC LIMIT 1'),
    };
  }

  /** Opens (creating it and its tables when needed) the notary's file for the notary itself. */
  static open(file: string): NotaryDatabase {
    const db = openSqliteDatabase(file, { synchronous: 'FULL' });
    try {
      db.exec(SCHEMA);
      return new NotaryDatabase(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Opens the file another process writes, to read it only (ROLE=api); it must exist and hold the tables. */
  static openReadOnly(file: string): NotaryDatabase {
    const db = openSqliteDatabase(file, { readonly: true });
    try {
      return new NotaryDatabase(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get file(): string {
    return this.db.name;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  state(): NotaryState | undefined {
    return this.statements.state.get() as NotaryState | undefined;
  }

  /** Binds a new notary to the store, or refuses one built from another store or from a longer log than its (a rolled-back one). */
  bindToStore(storeId: string, now: string, headPosition = Number.MAX_SAFE_INTEGER): NotaryState {
    const state = this.state();
    if (state === undefined) {
      this.statements.insertState.run(storeId, now);
      return { storeId, lastPosition: 0, treeSize: 0 };
    }
    if (state.storeId !== storeId) {
      throw new NotaryDoesNotMatchStoreError(this.file, `was built from event store ${state.storeId}, but the event store at hand is ${storeId}`);
    }
    if (state.lastPosition > headPosition) {
      throw new NotaryDoesNotMatchStoreError(
        this.file,
        `has notarised the log up to position ${state.lastPosition}, but the event store's last event is at position ${headPosition} (restored from an earlier copy, or rolled back)`,
      );
    }
    return state;
  }

  /**
   * Writes one page: its leaves, the nodes they complete and the new checkpoint, in one transaction; nothing of it
   * when any part fails. The checkpoint only moves from the tree size the page was computed on (another writer, or
   * a page written twice, fails the whole page rather than forking the tree).
   */
  appendPage(page: { leaves: readonly NotarisedLeaf[]; nodes: readonly { level: number; index: number; hash: Buffer }[]; fromSize: number; now: string }): void {
    const { leaves, nodes, fromSize, now } = page;
    const last = leaves[leaves.length - 1];
    if (last === undefined) return;
    this.db
      .transaction(() => {
        const moved = this.statements.moveState.run(last.position, last.leafIndex + 1, now, fromSize);
        if (moved.changes !== 1) throw new Error(`The notary's tree is no longer of size ${fromSize}: another process wrote to ${this.file}`);
        for (const leaf of leaves) this.statements.insertLeaf.run(leaf.leafIndex, leaf.position, leaf.leafHash);
        for (const node of nodes) this.statements.insertNode.run(node.level, node.index, node.hash);
      })
      .immediate();
  }

  leafAt(leafIndex: number): NotarisedLeaf | undefined {
    return this.statements.leafByIndex.get(leafIndex) as NotarisedLeaf | undefined;
  }

  leafOfPosition(position: number): NotarisedLeaf | undefined {
    return this.statements.leafByPosition.get(position) as NotarisedLeaf | undefined;
  }

  /** Up to `count` leaves from `leafIndex` on, in order. */
  leavesFrom(leafIndex: number, count: number): NotarisedLeaf[] {
    return this.statements.leavesFrom.all(leafIndex, count) as NotarisedLeaf[];
  }

  /** The stored complete subtrees: level 0 from the leaves, higher levels from the nodes. */
  subtrees(): CompleteSubtrees {
    return {
      hash: (level, index) => {
        const hash = level === 0 ? this.leafAt(index)?.leafHash : (this.statements.node.get(level, index) as Buffer | undefined);
        if (hash === undefined) throw new RangeError(`The notary holds no complete subtree at level ${level}, index ${index}`);
        return hash;
      },
    };
  }

  /**
   * Stores a head and the key it was signed with (once per key). Refused unless it is over a larger tree than the
   * latest head, not timestamped before it, and within what is notarised: heads only ever grow, in size and time.
   */
  insertHead(head: StoredTreeHead, publicKeyPem: string): void {
    this.db
      .transaction(() => {
        const latest = this.latestHead();
        if (latest !== undefined && !(head.treeSize > latest.treeSize && head.timestamp >= latest.timestamp)) {
          throw new Error(
            `Refusing to publish a tree head of size ${head.treeSize} at ${head.timestamp}: the latest head is of size ${latest.treeSize} at ${latest.timestamp}`,
          );
        }
        const notarised = this.state()?.treeSize ?? 0;
        if (head.treeSize > notarised) throw new Error(`Refusing to publish a tree head of size ${head.treeSize}: only ${notarised} leaves are notarised`);
        this.statements.insertKey.run(head.keyId, publicKeyPem, head.timestamp);
        this.statements.insertHead.run(head);
      })
      .immediate();
  }

  latestHead(): StoredTreeHead | undefined {
    return this.statements.latestHead.get() as StoredTreeHead | undefined;
  }

  headOfSize(treeSize: number): StoredTreeHead | undefined {
    return this.statements.headOfSize.get(treeSize) as StoredTreeHead | undefined;
  }

  /** Up to `limit` heads of sizes above `afterSize`, smallest first. */
  headsAfter(afterSize: number, limit: number): StoredTreeHead[] {
    return this.statements.headsAfter.all(afterSize, limit) as StoredTreeHead[];
  }

  key(keyId: string): NotaryKey | undefined {
    return this.statements.key.get(keyId) as NotaryKey | undefined;
  }

  recordCheck(check: IntegrityCheck): void {
    this.statements.insertCheck.run({
      checkedAt: check.checkedAt,
      origin: check.origin,
      treeSize: check.treeSize,
      recentFrom: check.recent?.fromPosition ?? null,
      recentTo: check.recent?.toPosition ?? null,
      recentCount: check.recent?.count ?? 0,
      sampledCount: check.sampledCount,
      headTreeSize: check.headTreeSize,
      mismatching: JSON.stringify(check.mismatchingPositions),
      treeMismatching: JSON.stringify(check.treeMismatchingPositions),
      problems: JSON.stringify(check.problems),
    });
  }

  latestCheck(): IntegrityCheck | undefined {
    const row = this.statements.latestCheck.get() as CheckRow | undefined;
    if (row === undefined) return undefined;
    return {
      checkedAt: row.checked_at,
      origin: row.origin as IntegrityCheck['origin'],
      treeSize: row.tree_size,
      recent: row.recent_from_position === null ? null : { fromPosition: row.recent_from_position, toPosition: row.recent_to_position ?? 0, count: row.recent_count },
      sampledCount: row.sampled_count,
      headTreeSize: row.head_tree_size,
      mismatchingPositions: JSON.parse(row.mismatching_positions) as number[],
      treeMismatchingPositions: JSON.parse(row.tree_mismatching_positions) as number[],
      problems: JSON.parse(row.problems) as string[],
    };
  }
}

const HEAD_COLUMNS = 'tree_size AS treeSize, root_hash AS rootHash, timestamp, signature, key_id AS keyId, last_position AS lastPosition';

interface CheckRow {
  checked_at: string;
  origin: string;
  tree_size: number;
  recent_from_position: number | null;
  recent_to_position: number | null;
  recent_count: number;
  sampled_count: number;
  head_tree_size: number | null;
  mismatching_positions: string;
  tree_mismatching_positions: string;
  problems: string;
}

/** Whether an integrity check found the log or the tree changed. */
export const foundTampering = (check: IntegrityCheck): boolean =>
  check.mismatchingPositions.length > 0 || check.treeMismatchingPositions.length > 0 || check.problems.length > 0;
