import { CONTRACT_EVENT_SCHEMA_VERSIONS, type ContractEvent, type ContractEventType, isContractEvent } from './events';

/** Turns the data of one schema version of an event type into the next version's shape. */
export type EventUpcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * `registry[type][v]` upgrades data of version v to v + 1. Stored events are never rewritten: a
 * change of shape bumps the type's entry in CONTRACT_EVENT_SCHEMA_VERSIONS and adds the step here,
 * and every read passes old events through the chain.
 */
export type UpcasterRegistry = Partial<Record<ContractEventType, Readonly<Record<number, EventUpcaster>>>>;

/** Every contract event type is still at version 1, so there is no step yet. */
export const CONTRACT_EVENT_UPCASTERS: UpcasterRegistry = {};

/**
 * A stored contract event in the current shape. Refuses, rather than guesses, an unknown type, a
 * version newer than this code knows, or a gap in the chain.
 */
export const upcastContractEvent = (
  stored: { type: string; data: Record<string, unknown>; schemaVersion: number },
  registry: UpcasterRegistry = CONTRACT_EVENT_UPCASTERS,
  currentVersions: Readonly<Record<string, number>> = CONTRACT_EVENT_SCHEMA_VERSIONS,
): ContractEvent => {
  if (!isContractEvent(stored)) throw new Error(`${stored.type} is not a contract event`);
  const current = currentVersions[stored.type];
  if (!Number.isSafeInteger(stored.schemaVersion) || stored.schemaVersion < 1 || stored.schemaVersion > current) {
    throw new Error(`${stored.type} v${stored.schemaVersion} cannot be read: this code knows versions 1 to ${current}`);
  }
  let data: Record<string, unknown> = stored.data;
  for (let version = stored.schemaVersion; version < current; version += 1) {
    const step = registry[stored.type]?.[version];
    if (!step) throw new Error(`no upcaster from ${stored.type} v${version} to v${version + 1}`);
    data = step(data);
  }
  const upcast = { type: stored.type, data };
  // The chain ends in the current version's shape; the guard lets the type say so without a cast.
  if (!isContractEvent(upcast)) throw new Error(`${upcast.type} is not a contract event`);
  return upcast;
};
