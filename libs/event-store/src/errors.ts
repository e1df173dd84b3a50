/**
 * Errors every adapter raises beside the ones declared in the port, so callers can tell them
 * apart whatever store is configured.
 */

/**
 * An event id is already stored (or appears twice in one append). Event ids are deterministic per
 * command, so this is how a retried append is recognised; nothing of the refused append is written.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    /** The stream the refused append targeted. */
    readonly streamId: string,
  ) {
    super(`Event id ${eventId} is already stored; the append to stream ${streamId} was refused`);
    this.name = 'DuplicateEventIdError';
  }
}
