import type { RecordedEvent } from '@escrow/event-store/port';

/**
 * The Server-Sent Events frames of the feed. The `id:` of every frame is a global position, so the
 * `Last-Event-ID` a reader sends back on reconnecting is exactly where it stopped.
 */

/** Why the service ends a stream; the reader reconnects from the frame's id in every case but `until-reached`. */
export type CloseReason = 'slow-reader' | 'lagging' | 'shutdown' | 'store-unavailable' | 'until-reached';

/** One event as the audit feed shows it (already in its current shape), as a default `message` event. */
export const eventFrame = (event: RecordedEvent): string => `id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`;

/** The first bytes of every stream: the reconnection delay, and a comment that sends the headers on their way. */
export const openingFrame = (retryMs: number, after: number): string => `retry: ${retryMs}\n: events after position ${after}\n\n`;

export const heartbeatFrame = (): string => `: heartbeat\n\n`;

/**
 * The last frame of a stream the service ends: `reconnect` (resume after `lastEventId`), or `end` when the
 * reader asked to stop at a position. Its id repeats the last delivered position, so that a reader that got
 * no event yet also resumes where it began.
 */
export function closingFrame(reason: CloseReason, lastEventId: number, retryMs: number): string {
  const event = reason === 'until-reached' ? 'end' : 'reconnect';
  return `retry: ${retryMs}\nevent: ${event}\nid: ${lastEventId}\ndata: ${JSON.stringify({ reason, lastEventId })}\n\n`;
}
