import type { EventStore, RecordedEvent } from '@escrow/event-store/port';
import type { StreamedBody } from '../http/streamed-body';
import { belongsToExport, EventExportRequest } from './event-export-request';

/** Events read from the log at once: one page is all an export holds in memory. */
export const EXPORT_PAGE_SIZE = 1_000;

export const NDJSON = 'application/x-ndjson';
const WRITE_SIZE = 64 * 1024;

/**
 * One line of an export: the event as stored (never upcast) with exactly these eight members, in this order, and
 * a newline. The same members the notary hashes, so an unfiltered export is what a verifier recomputes a root from.
 */
export const exportLine = (event: RecordedEvent): string =>
  JSON.stringify({
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  }) + '\n';

/**
 * The last, unterminated line of an export the store failed under: not JSON and not newline-terminated, so that
 * no reader mistakes it for an event and a saved file shows it was cut short.
 */
export const truncationMarker = (after: number): string => `{"truncated":true,"after":${after}`;

export type ExportOutcome = 'complete' | 'reader-gone' | 'failed';

/**
 * Streams the events in (request.after, through] that the request's filters keep, a page of the log at a time;
 * the next page is read only once the socket has taken the last. Every event is checked against the time range
 * (recordedAt order is not assumed, so the same holds on a store that does not keep it). `stopping` is asked
 * between pages, so that a service shutting down cuts the export as a failed one.
 */
export async function streamEventExport(
  body: StreamedBody,
  store: EventStore,
  request: EventExportRequest,
  through: number,
  stopping: () => boolean = () => false,
): Promise<{ outcome: ExportOutcome; scanned: number; error?: unknown }> {
  let scanned = request.after;
  try {
    while (scanned < through) {
      if (body.closed) return { outcome: 'reader-gone', scanned };
      if (stopping()) throw new Error('the service is stopping');
      const page = await store.readAll({ after: scanned, maxCount: Math.min(EXPORT_PAGE_SIZE, through - scanned) });
      if (page.length === 0) break;
      let chunk = '';
      for (const event of page) {
        if (event.position > through) break;
        if (belongsToExport(request, event)) chunk += exportLine(event);
        // Written in pieces of a socket buffer's size: short-lived strings the young generation collects at once.
        if (chunk.length >= WRITE_SIZE) {
          if (!(await body.write(chunk))) return { outcome: 'reader-gone', scanned };
          chunk = '';
        }
        scanned = event.position;
      }
      if (!(await body.write(chunk))) return { outcome: 'reader-gone', scanned };
      if (page[page.length - 1].position >= through) break;
    }
  } catch (error) {
    body.abort(truncationMarker(scanned));
    return { outcome: 'failed', scanned, error };
  }
  body.end();
  return { outcome: 'complete', scanned };
}
