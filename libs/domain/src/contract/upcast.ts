import { currentShapeOf, EVENT_UPCASTERS, type UpcasterRegistry } from '../event-schemas';
import { CONTRACT_EVENT_SCHEMA_VERSIONS, type ContractEvent, isContractEvent } from './events';

export type { EventUpcaster, UpcasterRegistry } from '../event-schemas';

/** The contract's steps are kept in the one registry of every event type (`event-schemas.ts`). */
export const CONTRACT_EVENT_UPCASTERS: UpcasterRegistry = EVENT_UPCASTERS;

/**
 * A stored contract event in the current shape. Refuses, rather than guesses, an event of another stream
 * kind, a version newer than this code knows, or a gap in the chain.
 */
export const upcastContractEvent = (
  stored: { type: string; data: Record<string, unknown>; schemaVersion: number },
  registry: UpcasterRegistry = CONTRACT_EVENT_UPCASTERS,
  currentVersions: Readonly<Record<string, number>> = CONTRACT_EVENT_SCHEMA_VERSIONS,
): ContractEvent => {
  if (!isContractEvent(stored)) throw new Error(`${stored.type} is not a contract event`);
  const upcast = { type: stored.type, data: currentShapeOf(stored, registry, currentVersions).data };
  // The chain ends in the current version's shape; the guard lets the type say so without a cast.
  if (!isContractEvent(upcast)) throw new Error(`${upcast.type} is not a contract event`);
  return upcast;
};
