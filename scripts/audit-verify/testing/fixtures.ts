/** Fixtures for the verifier's specs: exports, signed heads and keys written to a temporary folder. */

import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inclusionProof, leafBytes, leafHash, MemorySubtrees, rootAt, SignedTreeHead, signTreeHead } from '@escrow/audit';
import type { RecordedEvent } from '@escrow/event-store/port';
import { InclusionProofAnswer, InclusionProofSource } from '../service-client';

export function exportedEvent(position: number): RecordedEvent {
  const contract = (position % 5) + 1;
  return {
    position,
    streamId: `contract-${contract}`,
    revision: Math.floor((position - 1) / 5),
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: position % 2 === 0 ? 'ContractFunded' : 'MilestoneApproved',
    data: { contractId: `contract-${contract}`, amount: 11000 + position, memo: '\u5831\u916c' },
    metadata: { schemaVersion: 1, occurredAt: '2026-11-30T10:00:00.000Z', actor: { id: 'client-1', role: 'user' }, correlationId: `c-${position}`, causationId: `k-${position}` },
    recordedAt: `2026-11-30T10:00:${String(position % 60).padStart(2, '0')}.000Z`,
  };
}

export const exportedEvents = (count: number): RecordedEvent[] => Array.from({ length: count }, (_, i) => exportedEvent(i + 1));

/** NDJSON as the export route writes it: one event per line, members in the route's order, "\n" after each. */
export const ndjson = (events: readonly RecordedEvent[]): string => events.map((event) => `${JSON.stringify(event)}\n`).join('');

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));

  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Notarised {
  store: MemorySubtrees;
  head: SignedTreeHead;
}

/** What the notary would have published over these events: its tree and a head of the given size. */
export function notarise(events: readonly RecordedEvent[], privateKey: KeyObject, treeSize = events.length, timestamp = '2026-11-30T11:00:00.000Z'): Notarised {
  const store = MemorySubtrees.ofLeafHashes(events.map((event) => leafHash(leafBytes(event))));
  return { store, head: signTreeHead({ treeSize, rootHash: rootAt(treeSize, store).toString('hex'), timestamp }, privateKey) };
}

export const ed25519 = (): { privateKey: KeyObject; publicKey: KeyObject; pem: string } => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

/**
 * The notary's inclusion proofs, counting how many were asked for. Leaf i holds position `positions[i]` (by
 * default i + 1, the embedded store's); a position no leaf of the tree holds gets no proof, as the route refuses it.
 */
export class FakeInclusionProofs implements InclusionProofSource {
  calls = 0;

  constructor(
    private readonly store: MemorySubtrees,
    private readonly positions?: readonly number[],
  ) {}

  async inclusionProof(position: number, treeSize: number): Promise<InclusionProofAnswer | undefined> {
    this.calls += 1;
    const leafIndex = this.positions === undefined ? position - 1 : this.positions.indexOf(position);
    if (leafIndex < 0 || leafIndex >= treeSize) return undefined;
    return { leafIndex, leafHash: this.store.hash(0, leafIndex), auditPath: inclusionProof(leafIndex, treeSize, this.store) };
  }
}

/** Events of an EventStoreDB log: strictly increasing commit positions, not contiguous. */
export const commitPositioned = (events: readonly RecordedEvent[]): RecordedEvent[] => events.map((event, i) => ({ ...event, position: 4_096 + i * 311 + (i % 7) * 13 }));
