import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemError } from './problem';

/** What a caller refused for want of a slot is told to wait before asking again. */
export const EXPORTS_BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * The streamed exports running at once in this process (the NDJSON event export, the journal CSV), capped by
 * EXPORT_MAX_CONCURRENT: each holds a connection and reads the log or the read models for as long as the period is
 * long (a filter that keeps nothing still scans every position in range), so many at once would crowd out the
 * commands. Past the cap an export is refused before it starts, with 503 EXPORTS_BUSY and Retry-After.
 */
@Injectable()
export class ExportSlots {
  private running = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'exportMaxConcurrent'>) {}

  /** Exports running now. */
  get inUse(): number {
    return this.running;
  }

  /** Takes a slot, or throws the 503; the answer is `release`, to be called once the export has ended, however it ended. */
  take(): () => void {
    const limit = this.config.exportMaxConcurrent;
    if (this.running >= limit) {
      throw new ProblemError(
        503,
        'EXPORTS_BUSY',
        'Service unavailable',
        `${this.running} exports are running, the most this instance runs at once (EXPORT_MAX_CONCURRENT); retry after Retry-After.`,
        { limit },
        { 'retry-after': String(EXPORTS_BUSY_RETRY_AFTER_SECONDS) },
      );
    }
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
    };
  }
}
