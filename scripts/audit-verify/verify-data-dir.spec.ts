import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keyIdOf, leafBytes, leafHash, MemorySubtrees, rootAt, signTreeHead } from '@escrow/audit';
import { SqliteEventStore } from '@escrow/event-store/sqlite/sqlite-event-store';
import type { RecordedEvent } from '@escrow/event-store/port';
import { main } from '../audit-verify';
import { verifyDataDir } from './verify-data-dir';
import { ed25519, exportedEvent, Workspace } from './testing/fixtures';

/** The notary's tables as docs/audit.md and the notary define them (the parts the verifier reads). */
const NOTARY_SCHEMA = `
  CREATE TABLE notary_leaves (leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE, leaf_hash BLOB NOT NULL) STRICT;
  CREATE TABLE notary_nodes (level INTEGER NOT NULL, node_index INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, node_index)) STRICT, WITHOUT ROWID;
  CREATE TABLE notary_tree_heads (tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, signature TEXT NOT NULL, key_id TEXT NOT NULL, last_position INTEGER NOT NULL) STRICT;
  CREATE TABLE notary_keys (key_id TEXT PRIMARY KEY, public_key_pem TEXT NOT NULL, first_used_at TEXT NOT NULL) STRICT;
`;

const first = ed25519();
const second = ed25519();
let workspace: Workspace;
let logged: RecordedEvent[];

/** A data folder with `count` events and a notary that notarised `notarised` of them, heads every 7 events. */
async function dataDir(count: number, notarised = count): Promise<string> {
  const store = SqliteEventStore.open({ file: join(workspace.dir, 'events.sqlite'), synchronous: 'NORMAL' });
  for (let position = 1; position <= count; position += 1) {
    const { streamId, id, type, data, metadata } = exportedEvent(position);
    await store.append(streamId, [{ id, type, data, metadata }], 'any');
  }
  logged = await store.readAll();
  await store.close();

  const notary = new Database(join(workspace.dir, 'notary.sqlite'));
  notary.exec(NOTARY_SCHEMA);
  const subtrees = new MemorySubtrees();
  const insertLeaf = notary.prepare('INSERT INTO notary_leaves VALUES (?, ?, ?)');
  const insertHead = notary.prepare('INSERT INTO notary_tree_heads VALUES (?, ?, ?, ?, ?, ?)');
  const publish = (size: number, key: typeof first): void => {
    const head = signTreeHead({ treeSize: size, rootHash: rootAt(size, subtrees).toString('hex'), timestamp: `2026-11-30T12:00:${String(size % 60).padStart(2, '0')}.000Z` }, key.privateKey);
    insertHead.run(size, head.rootHash, head.timestamp, head.signature, head.keyId, size === 0 ? 0 : logged[size - 1].position);
  };
  publish(0, first);
  for (const event of logged.slice(0, notarised)) {
    const hash = leafHash(leafBytes(event));
    insertLeaf.run(subtrees.size, event.position, hash);
    subtrees.appendLeaf(hash);
    // The key is rotated half way: older heads stay checkable with the key recorded for them.
    if (subtrees.size % 7 === 0 || subtrees.size === notarised) publish(subtrees.size, subtrees.size <= 21 ? first : second);
  }
  const insertKey = notary.prepare('INSERT INTO notary_keys VALUES (?, ?, ?)');
  insertKey.run(keyIdOf(first.publicKey), first.pem, '2026-11-30T12:00:00.000Z');
  insertKey.run(keyIdOf(second.publicKey), second.pem, '2026-11-30T12:00:22.000Z');
  notary.close();
  return workspace.dir;
}

/** Edits a file behind the service's back, as someone with the file would: the log's guard triggers go first. */
function edit(sql: string, ...params: unknown[]): void {
  const db = new Database(join(workspace.dir, sql.includes('notary_') ? 'notary.sqlite' : 'events.sqlite'));
  if (!sql.includes('notary_')) db.exec('DROP TRIGGER events_are_immutable; DROP TRIGGER events_are_never_deleted');
  db.prepare(sql).run(...params);
  db.close();
}

beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.remove());

describe('audit:verify --data-dir', () => {
  it('passes when every notarised event and every published head matches the log', async () => {
    const lines: string[] = [];
    expect(await main(['--data-dir', await dataDir(45, 40)], {}, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual(['OK: 45 events in the log; 40 match the notary\'s leaves (5 not notarised yet); 7 published tree heads match the log and their signatures verify']);
  });

  it('one edited amount in events.sqlite fails naming its position, and every head from it on', async () => {
    await dataDir(30);
    edit("UPDATE events SET data = replace(data, '\"amount\":11017', '\"amount\":1017') WHERE position = 17");
    const result = verifyDataDir(workspace.dir);
    expect(result.ok).toBe(false);
    expect(result.lines[0]).toBe('FAIL: position 17 differs from the notary\'s leaf 16 (position 17)');
    expect(result.lines[1]).toBe('FAIL: 1 of 30 notarised events differ from the log');
    expect(result.lines.filter((line) => line.includes('the log\'s first'))).toHaveLength(3); // heads of sizes 21, 28 and 30
  });

  it('one byte that breaks the stored JSON is named too', async () => {
    await dataDir(12);
    edit("UPDATE events SET data = substr(data, 1, length(data) - 1) || ']' WHERE position = 4");
    expect(verifyDataDir(workspace.dir).lines[0]).toBe('FAIL: position 4 differs from the notary\'s leaf 3 (position 4): its stored JSON does not parse');
  });

  it('a head whose root or signature was changed in notary.sqlite fails', async () => {
    await dataDir(20);
    edit('UPDATE notary_tree_heads SET timestamp = ? WHERE tree_size = 14', '2026-12-24T00:00:00.000Z');
    edit('UPDATE notary_tree_heads SET root_hash = ? WHERE tree_size = 7', 'a'.repeat(64));
    const result = verifyDataDir(workspace.dir);
    expect(result.ok).toBe(false);
    expect(result.lines).toEqual([
      expect.stringMatching(/^FAIL: the tree head of size 7 \(root a{64}, .*\): the log's first 7 events hash to [0-9a-f]{64}$/),
      expect.stringMatching(/^FAIL: the tree head of size 7 .*: its signature does not verify/),
      expect.stringMatching(/^FAIL: the tree head of size 14 .*2026-12-24T00:00:00\.000Z\): its signature does not verify/),
    ]);
  });

  it('a head signed by a key the notary did not record fails', async () => {
    await dataDir(10);
    edit('DELETE FROM notary_keys WHERE key_id = ?', keyIdOf(first.publicKey));
    expect(verifyDataDir(workspace.dir).lines[0]).toMatch(/which is none of the public keys given/);
  });

  it('a log shorter than the notary\'s heads and leaves fails', async () => {
    await dataDir(15);
    edit('DELETE FROM events WHERE position > 12');
    const result = verifyDataDir(workspace.dir);
    expect(result.lines).toEqual([
      'FAIL: the tree head of size 14 covers more events than the log holds (12)',
      'FAIL: the tree head of size 15 covers more events than the log holds (12)',
      'FAIL: the notary has leaves from index 12 (position 13) on, past the log\'s 12 events',
    ]);
  });

  it('a folder without the notary\'s file fails clearly', async () => {
    const lines: string[] = [];
    expect(await main(['--data-dir', workspace.dir], {}, (line) => lines.push(line))).toBe(1);
    expect(lines).toEqual([`FAIL: ${join(workspace.dir, 'events.sqlite')} does not exist`]);
  });

  it('opens both files read-only: nothing in the folder changes', async () => {
    await dataDir(9);
    const before = new Database(join(workspace.dir, 'events.sqlite'), { readonly: true });
    const count = before.prepare('SELECT count(*) FROM events').pluck().get();
    before.close();
    expect(verifyDataDir(workspace.dir).ok).toBe(true);
    const after = new Database(join(workspace.dir, 'events.sqlite'), { readonly: true });
    expect(after.prepare('SELECT count(*) FROM events').pluck().get()).toBe(count);
    after.close();
  });
});
