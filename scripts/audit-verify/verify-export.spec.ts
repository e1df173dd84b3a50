import { main } from '../audit-verify';
import { exportLeaves } from './export-leaves';
import { readPublicKeys } from './inputs';
import { verifyExport } from './verify-export';
import { commitPositioned, ed25519, exportedEvents, FakeInclusionProofs, ndjson, notarise, Workspace } from './testing/fixtures';

const key = ed25519();
const events = exportedEvents(57);
const { store, head } = notarise(events, key.privateKey);
let workspace: Workspace;
let keyFile: string;
let headFile: string;

beforeEach(() => {
  workspace = new Workspace();
  keyFile = workspace.file('key.pem', key.pem);
  headFile = workspace.file('head.json', JSON.stringify(head));
});
afterEach(() => workspace.remove());

async function run(...argv: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await main(argv, {}, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

/** The export with one byte changed in the event at `position`: one digit of its amount. */
function withOneByteChanged(text: string, position: number): string {
  const lines = text.split('\n');
  const line = lines[position - 1];
  const at = line.indexOf('"amount":') + '"amount":'.length;
  lines[position - 1] = `${line.slice(0, at)}${line[at] === '1' ? '2' : '1'}${line.slice(at + 1)}`;
  return lines.join('\n');
}

describe('audit:verify --export', () => {
  it('a good export verifies: exit 0 with a one-line summary', async () => {
    const exportFile = workspace.file('events.ndjson', ndjson(events));
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', keyFile);
    expect(code).toBe(0);
    expect(output).toBe(`OK: the first 57 events of ${exportFile} hash to the root of the tree head of size 57 (root ${head.rootHash}, ${head.timestamp}), signed by key ${head.keyId}`);
  });

  it('only the first treeSize events count: a longer export verifies against an older head', async () => {
    const older = notarise(events, key.privateKey, 20).head;
    const exportFile = workspace.file('events.ndjson', ndjson([...events, ...exportedEvents(70).slice(57)]));
    const olderFile = workspace.file('older.json', JSON.stringify(older));
    expect((await run('--export', exportFile, '--head', olderFile, '--public-key', keyFile)).code).toBe(0);
  });

  it('one changed byte without the service: exit 1, the root differs', async () => {
    const exportFile = workspace.file('events.ndjson', withOneByteChanged(ndjson(events), 23));
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', keyFile);
    expect(code).toBe(1);
    expect(output).toContain(`not to the signed root ${head.rootHash}`);
    expect(output).toContain('give --url');
  });

  it('one changed byte with inclusion proofs: names that position, whichever it is, with O(log n) proofs', async () => {
    const keys = readPublicKeys([keyFile]);
    for (const position of [1, 2, 23, 32, 33, 56, 57]) {
      const exportFile = workspace.file(`tampered-${position}.ndjson`, withOneByteChanged(ndjson(events), position));
      const proofs = new FakeInclusionProofs(store);
      const result = await verifyExport({ exportFile, head, keys, proofs });
      expect(result.ok).toBe(false);
      expect(result.lines[1]).toBe(`FAIL: position ${position} differs from the event notarised at that position (notarised leaf hash ${store.hash(0, position - 1).toString('hex')})`);
      expect(proofs.calls).toBeLessThanOrEqual(Math.ceil(Math.log2(events.length)) + 1);
    }
  });

  it('two changed events: names the first', async () => {
    const exportFile = workspace.file('events.ndjson', withOneByteChanged(withOneByteChanged(ndjson(events), 40), 9));
    const result = await verifyExport({ exportFile, head, keys: readPublicKeys([keyFile]), proofs: new FakeInclusionProofs(store) });
    expect(result.lines[1]).toMatch(/^FAIL: position 9 differs/);
  });

  it('a service whose proof does not verify against the signed head is named as such', async () => {
    const exportFile = workspace.file('events.ndjson', withOneByteChanged(ndjson(events), 5));
    const other = notarise(exportedEvents(57).map((event) => ({ ...event, type: 'Other' })), key.privateKey);
    const result = await verifyExport({ exportFile, head, keys: readPublicKeys([keyFile]), proofs: new FakeInclusionProofs(other.store) });
    expect(result.lines[1]).toBe('FAIL: the service\'s inclusion proof of position 1 does not verify against the signed root');
  });

  it('a truncated file fails naming its last line', async () => {
    const text = ndjson(events);
    const exportFile = workspace.file('events.ndjson', text.slice(0, text.length - 40));
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', keyFile);
    expect(code).toBe(1);
    expect(output).toBe(`FAIL: ${exportFile} line 57: has no closing newline: the file is truncated`);
  });

  it('a head larger than the export fails clearly', async () => {
    const exportFile = workspace.file('events.ndjson', ndjson(events.slice(0, 50)));
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', keyFile);
    expect(code).toBe(1);
    expect(output).toBe(`FAIL: ${exportFile} line 51: the export ends after 50 events, but the tree head covers 57`);
  });

  it('a wrong key fails before the export is read', async () => {
    const exportFile = workspace.file('events.ndjson', ndjson(events));
    const otherKey = workspace.file('other.pem', ed25519().pem);
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', otherKey);
    expect(code).toBe(1);
    expect(output).toContain(`signed by key ${head.keyId}, which is none of the public keys given`);
  });

  it('a head whose signature does not match its fields fails', async () => {
    const exportFile = workspace.file('events.ndjson', ndjson(events));
    const forged = workspace.file('forged.json', JSON.stringify({ ...head, timestamp: '2026-12-01T00:00:00.000Z' }));
    const { code, output } = await run('--export', exportFile, '--head', forged, '--public-key', keyFile);
    expect(code).toBe(1);
    expect(output).toContain('its signature does not verify');
  });

  it.each([
    ['a malformed line', (lines: string[]) => lines.splice(9, 1, '{"position":10,'), 'line 10: is not JSON'],
    ['a line with a member missing', (lines: string[]) => lines.splice(9, 1, JSON.stringify({ ...events[9], data: undefined })), 'line 10: data is not an object'],
    ['a duplicated line', (lines: string[]) => lines.splice(10, 0, lines[9]), 'line 11: position 10 again or out of order (expected 11)'],
    ['lines out of order', (lines: string[]) => lines.splice(9, 2, lines[10], lines[9]), 'line 10: position 11 where 10 was expected: positions 10…10 are missing'],
    ['missing lines', (lines: string[]) => lines.splice(9, 3), 'line 10: position 13 where 10 was expected: positions 10…12 are missing'],
  ])('%s is named by its line', async (_name, change, message) => {
    const lines = ndjson(events).split('\n');
    change(lines);
    const exportFile = workspace.file('events.ndjson', lines.join('\n'));
    const { code, output } = await run('--export', exportFile, '--head', headFile, '--public-key', keyFile);
    expect(code).toBe(1);
    expect(output).toBe(`FAIL: ${exportFile} ${message}`);
  });

  it('reads a larger export line by line, across the read stream\'s chunks', async () => {
    const exportFile = workspace.file('events.ndjson', ndjson(exportedEvents(3000)));
    let count = 0;
    for await (const leaf of exportLeaves(exportFile, 3000)) count = leaf.index + 1;
    expect(count).toBe(3000);
  });

  it('a missing export file or head file is a failure naming the file', async () => {
    expect(await run('--export', `${workspace.dir}/none.ndjson`, '--head', headFile, '--public-key', keyFile)).toEqual({
      code: 1,
      output: `FAIL: ${workspace.dir}/none.ndjson: no such export file`,
    });
    expect((await run('--export', `${workspace.dir}/none.ndjson`, '--head', `${workspace.dir}/none.json`, '--public-key', keyFile)).output).toMatch(/none\.json: cannot read the tree head/);
  });
});

describe('audit:verify --export on an EventStoreDB log (positions increasing, not contiguous)', () => {
  const logged = commitPositioned(exportedEvents(57));
  const positions = logged.map((event) => event.position);
  const notarised = notarise(logged, key.privateKey);
  const verifyLogged = (text: string, proofs?: FakeInclusionProofs, head = notarised.head) =>
    verifyExport({ exportFile: workspace.file('esdb.ndjson', text), head, keys: readPublicKeys([keyFile]), proofs });

  it('reads an export whose first position is not 1 as increasing, says so, and verifies it', async () => {
    const exportFile = workspace.file('esdb.ndjson', ndjson(logged));
    const esdbHead = workspace.file('esdb-head.json', JSON.stringify(notarised.head));
    const { code, output } = await run('--export', exportFile, '--head', esdbHead, '--public-key', keyFile);
    expect(code).toBe(0);
    expect(output.split('\n')).toEqual([
      "The export's positions are read as strictly increasing (EventStoreDB's commit positions): leaf index = line − 1, since its first line is not position 1.",
      expect.stringMatching(/^OK: the first 57 events of .* hash to the root of the tree head of size 57/),
    ]);
    expect((await run('--export', exportFile, '--head', esdbHead, '--public-key', keyFile, '--positions', 'increasing')).code).toBe(0);
  });

  it('told the positions are contiguous, it names the first line that is not', async () => {
    const exportFile = workspace.file('esdb.ndjson', ndjson(logged));
    const esdbHead = workspace.file('esdb-head.json', JSON.stringify(notarised.head));
    const { code, output } = await run('--export', exportFile, '--head', esdbHead, '--public-key', keyFile, '--positions', 'contiguous');
    expect(code).toBe(1);
    expect(output).toBe(`FAIL: ${exportFile} line 1: position ${positions[0]} where 1 was expected: positions 1…${positions[0] - 1} are missing`);
  });

  it('an embedded store export read as increasing verifies too: the root covers every position either way', async () => {
    const { code } = await run('--export', workspace.file('events.ndjson', ndjson(events)), '--head', headFile, '--public-key', keyFile, '--positions', 'increasing');
    expect(code).toBe(0);
  });

  it('a position again or out of order is named by its line', async () => {
    const lines = ndjson(logged).split('\n');
    lines.splice(10, 0, lines[9]);
    const result = await verifyLogged(lines.join('\n'));
    expect(result.lines[result.lines.length - 1]).toMatch(new RegExp(`line 11: position ${positions[9]} again or out of order \\(after position ${positions[9]}\\)$`));
  });

  it('one changed byte with inclusion proofs: the descent asks for the position each leaf holds, and names the event and its line', async () => {
    for (const leafIndex of [0, 1, 22, 31, 32, 55, 56]) {
      const proofs = new FakeInclusionProofs(notarised.store, positions);
      const result = await verifyLogged(withOneByteChanged(ndjson(logged), leafIndex + 1), proofs);
      expect(result.ok).toBe(false);
      expect(result.lines[result.lines.length - 1]).toBe(
        `FAIL: position ${positions[leafIndex]} (line ${leafIndex + 1} of the export) differs from the event notarised as leaf ${leafIndex} (notarised leaf hash ${notarised.store.hash(0, leafIndex).toString('hex')})`,
      );
      expect(proofs.calls).toBeLessThanOrEqual(Math.ceil(Math.log2(logged.length)) + 1);
    }
  });

  it('an event missing from the export: the position found at a leaf the notary has elsewhere is named, with both leaves', async () => {
    const older = notarise(logged, key.privateKey, 40).head;
    const lines = ndjson(logged).split('\n');
    lines.splice(32, 1);
    const result = await verifyLogged(lines.join('\n'), new FakeInclusionProofs(notarised.store, positions), older);
    expect(result.lines[result.lines.length - 1]).toBe(
      `FAIL: position ${positions[33]} is leaf 32 of the export (line 33) but was notarised as leaf 33: events before it are missing from the export, or were added to it`,
    );
  });

  it('an event added to the export at a position never notarised is named as such', async () => {
    const lines = ndjson(logged).split('\n');
    lines.splice(32, 0, JSON.stringify({ ...logged[32], position: positions[32] - 1, id: '00000000-0000-4000-8000-999999999999' }));
    const result = await verifyLogged(lines.join('\n'), new FakeInclusionProofs(notarised.store, positions));
    expect(result.lines[result.lines.length - 1]).toBe(
      `FAIL: position ${positions[32] - 1} at leaf 32 of the export (line 33) differs from what was notarised there: the service says the tree of size 57 holds no event at that position`,
    );
  });
});
