import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '@escrow/domain/shared/actor';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { idempotencyScope } from '../idempotency';

/** Where the key is kept when DERIVED_ID_KEY is not configured: created once, then read at every start. */
export const DERIVED_ID_KEY_FILE = 'derived-id.key';

/**
 * Derives the seed of the ids a command creates from its caller and Idempotency-Key with a keyed HMAC, so
 * that a retry names the same contract, milestones and events while nobody outside the service can
 * predict an id from a key (a bare hash of the key could be computed by anyone).
 */
@Injectable()
export class DerivedIds {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = config.derivedIdKey !== undefined ? Buffer.from(config.derivedIdKey, 'utf8') : keptKey(config.dataDir);
  }

  seedOf(callingService: string, actor: Actor, idempotencyKey: string): string {
    return createHmac('sha256', this.key).update(idempotencyScope(callingService, actor, idempotencyKey)).digest('hex');
  }
}

function keptKey(dataDir: string): Buffer {
  const file = join(dataDir, DERIVED_ID_KEY_FILE);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    new Logger('DerivedIds').warn(
      `DERIVED_ID_KEY is not set: created ${file}. Every replica of the service must use the same key: set DERIVED_ID_KEY when running more than one.`,
    );
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}
