import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TALLY_DIR_VARIABLE } from './validated-responses';

/** A fresh folder for this run's tallies; the workers inherit the variable. */
export default function globalSetup(): void {
  process.env[TALLY_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'openapi-tally-'));
}
