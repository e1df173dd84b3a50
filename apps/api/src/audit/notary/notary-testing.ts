import { generateKeyPairSync } from 'node:crypto';
import type { EventStore, ReadAllOptions, RecordedEvent } from '@escrow/event-store/port';
import { signingKeyOf, NotarySigningKey } from './signing-key';

/** Events of a log for the notary's tests: position n is the n-th, with a little data each. */
export function recordedEvents(count: number, from = 1): RecordedEvent[] {
  return Array.from({ length: count }, (_, offset) => {
    const position = from + offset;
    return {
      id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      type: 'EscrowFunded',
      streamId: `contract-${position % 3}`,
      revision: Math.floor(position / 3),
      position,
      data: { contractId: `contract-${position % 3}`, amount: 1000 * position },
      metadata: {
        schemaVersion: 1,
        occurredAt: '2026-11-30T12:00:00.000Z',
        actor: { id: 'client-1', role: 'user' },
        correlationId: `c-${position}`,
        causationId: `c-${position}`,
      },
      recordedAt: '2026-11-30T12:00:00.000Z',
    };
  });
}

/** A log held in an array the test may change behind the notary's back. */
export class ArrayLog implements Pick<EventStore, 'readAll'> {
  failNextReads = 0;

  constructor(readonly events: RecordedEvent[] = []) {}

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.failNextReads > 0) {
      this.failNextReads--;
      throw new Error('the log cannot be read right now');
    }
    const after = options.after ?? 0;
    return this.events.filter((event) => event.position > after).slice(0, options.maxCount ?? Infinity);
  }
}

export function testSigningKey(): NotarySigningKey {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey, 'configured');
}
