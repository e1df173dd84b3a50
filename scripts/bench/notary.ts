/**
 * How fast the notary notarises: `npm run bench:notary [-- --events N]`. Builds N events of the shape the service
 * records, then notarises them the way the running notary does (pages of 2,000, one transaction each, into a
 * notary.sqlite on disk with durable commits) and publishes one head. Prints ONE JSON object on stdout.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NotaryDatabase } from '../../apps/api/src/audit/notary/notary-database';
import { DEFAULT_NOTARY_PAGE_SIZE, NotaryProcessor } from '../../apps/api/src/audit/notary/notary-processor';
import { ArrayLog, recordedEvents, testSigningKey } from '../../apps/api/src/audit/notary/notary-testing';

function eventsWanted(argv: readonly string[]): number {
  const at = argv.indexOf('--events');
  const count = at >= 0 ? Number(argv[at + 1]) : 200_000;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('--events must be a whole number >= 1');
  return count;
}

function main(): void {
  const count = eventsWanted(process.argv.slice(2));
  const folder = mkdtempSync(join(tmpdir(), 'escrow-notary-bench-'));
  const db = NotaryDatabase.open(join(folder, 'notary.sqlite'));
  try {
    db.bindToStore('bench', new Date().toISOString());
    const log = new ArrayLog(recordedEvents(count));
    const processor = new NotaryProcessor({ db, store: log, key: testSigningKey(), treeHeadEveryEvents: count, treeHeadMaxDelayMs: 86_400_000 });
    const started = performance.now();
    for (let from = 0; from < count; from += DEFAULT_NOTARY_PAGE_SIZE) processor.consume(log.events.slice(from, from + DEFAULT_NOTARY_PAGE_SIZE));
    const seconds = (performance.now() - started) / 1000;
    const head = db.latestHead();
    process.stdout.write(
      `${JSON.stringify({ events: count, pageSize: DEFAULT_NOTARY_PAGE_SIZE, seconds: Number(seconds.toFixed(3)), eventsPerSecond: Math.floor(count / seconds), headTreeSize: head?.treeSize })}\n`,
    );
  } finally {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main();
