/**
 * Measures the ledger checks (`GET /v1/ledger/checks`, and the trial balance's `balanced`) over a realistic log.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register libs/projections/src/testing/measure-ledger-checks.ts [--events 50000] [--runs 7]
 *
 * Writes the log (`realistic-log.ts`) into an in-memory store, builds the ledger and fees read models into a
 * fresh read-model file, then times the checks as of the head and as of the middle of the log. Prints one JSON
 * line: the postings, and the median and slowest run of each.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InMemoryEventStore } from '@escrow/event-store/in-memory/in-memory-event-store';
import { feesProjection } from '../fees/fees.projection';
import { LedgerCheckQueries } from '../ledger/ledger-checks.queries';
import { ledgerProjection } from '../ledger/ledger.projection';
import { ProjectionEngine } from '../runtime/projection-engine';
import { openReadModelDatabase } from '../runtime/read-model-database';
import { writeRealisticLog } from './realistic-log';

const option = (args: readonly string[], name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
};

function timed(runs: number, run: () => unknown): { medianMs: number; slowestMs: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    run();
    times.push(performance.now() - startedAt);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Number(times[Math.floor(runs / 2)].toFixed(0)), slowestMs: Number(times[runs - 1].toFixed(0)) };
}

async function main(args: readonly string[]): Promise<void> {
  const events = Number(option(args, 'events', '50000'));
  const runs = Number(option(args, 'runs', '7'));
  const dir = mkdtempSync(join(tmpdir(), 'escrow-ledger-checks-'));
  const store = new InMemoryEventStore();
  const db = openReadModelDatabase(join(dir, 'read-models.sqlite'));
  try {
    await writeRealisticLog(store, events);
    await new ProjectionEngine({ store, db, projections: [ledgerProjection, feesProjection] }).rebuild();
    const head = db.prepare<[], number>('SELECT max(position) FROM ledger_transactions').pluck().get()!;
    const postings = db.prepare<[], number>('SELECT count(*) FROM ledger_postings').pluck().get()!;
    const checks = new LedgerCheckQueries(db);
    const report = checks.report(head);
    if (!report.passed) throw new Error(`The checks failed on a sound log: ${JSON.stringify(report.checks.filter((c) => !c.passed))}`);
    process.stdout.write(
      `${JSON.stringify({ events, postings, head: timed(runs, () => checks.report(head)), middle: timed(runs, () => checks.report(Math.floor(head / 2))) })}\n`,
    );
  } finally {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
