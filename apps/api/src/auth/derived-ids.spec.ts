import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { DERIVED_ID_KEY_FILE, DerivedIds } from './derived-ids';

describe('ids derived from idempotency keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'derived-ids-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const worker = { id: 'worker-1', role: 'user' as const };

  it('gives each caller its own seed for the same key, and the same seed again for a retry', () => {
    const ids = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'k'.repeat(40) }));
    const seed = ids.seedOf('job-board', worker, 'offer-1');
    expect(ids.seedOf('job-board', worker, 'offer-1')).toBe(seed);
    expect(new Set([seed, ids.seedOf('messaging', worker, 'offer-1'), ids.seedOf('job-board', { id: 'worker-2', role: 'user' }, 'offer-1'), ids.seedOf('job-board', { ...worker, role: 'support' }, 'offer-1')]).size).toBe(4);
  });

  it('depends on the secret, so nobody without it can predict an id', () => {
    const one = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'a'.repeat(40) }));
    const other = new DerivedIds(loadConfig({ DATA_DIR: dir, DERIVED_ID_KEY: 'b'.repeat(40) }));
    expect(one.seedOf('job-board', worker, 'offer-1')).not.toBe(other.seedOf('job-board', worker, 'offer-1'));
  });

  it('without DERIVED_ID_KEY, creates a random key in the data folder once and keeps using it', () => {
    const first = new DerivedIds(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const key = readFileSync(join(dir, DERIVED_ID_KEY_FILE), 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const again = new DerivedIds(loadConfig({ DATA_DIR: dir }));
    expect(again.seedOf('job-board', worker, 'offer-1')).toBe(first.seedOf('job-board', worker, 'offer-1'));
  });
});
