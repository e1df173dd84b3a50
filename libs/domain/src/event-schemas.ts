import { ACCOUNT_EVENT_SCHEMA_VERSIONS } from './account/events';
import { ACCOUNT_CONTRACTS_EVENT_SCHEMA_VERSIONS } from './account-index/account-contracts';
import { BANK_ACCOUNT_HOLDER_EVENT_SCHEMA_VERSIONS } from './account-index/bank-account-holders';
import { INDEX_BACKFILL_EVENT_SCHEMA_VERSIONS } from './account-index/index-backfill';
import { WITHDRAWAL_ADDRESS_EVENT_SCHEMA_VERSIONS } from './account-index/withdrawal-address';
import { COMPETITION_EVENT_SCHEMA_VERSIONS } from './competition/events';
import { CONTRACT_EVENT_SCHEMA_VERSIONS } from './contract/events';
import { HOURLY_EVENT_SCHEMA_VERSIONS } from './hourly/events';
import { PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS, PAYMENT_REFERENCE_UPCASTERS } from './payment-reference/decider';
import { TASK_EVENT_SCHEMA_VERSIONS } from './task/events';
import { WALLET_EVENT_SCHEMA_VERSIONS } from './wallet/events';

/**
 * The one upcaster registry: every event type the service records, its current schema version, and the
 * steps that bring data of an older version up to it. The command executor, the projections and the
 * reactors all read stored events through `currentShapeOf`, so a change of shape is written once here.
 */

/** Turns the data of one schema version of an event type into the next version's shape. */
export type EventUpcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** `registry[type][v]` upgrades data of version v to v + 1. */
export type UpcasterRegistry = Readonly<Record<string, Readonly<Record<number, EventUpcaster>>>>;

/** Event types of each kind of stream, by the stream name's prefix (`contract-<id>`, `wallet-<id>`, `index-backfill`). */
export const SCHEMA_VERSIONS_BY_STREAM_KIND: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  contract: CONTRACT_EVENT_SCHEMA_VERSIONS,
  hourly: HOURLY_EVENT_SCHEMA_VERSIONS,
  wallet: WALLET_EVENT_SCHEMA_VERSIONS,
  account: ACCOUNT_EVENT_SCHEMA_VERSIONS,
  'payment-reference': PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS,
  'bank-account-holders': BANK_ACCOUNT_HOLDER_EVENT_SCHEMA_VERSIONS,
  'withdrawal-address': WITHDRAWAL_ADDRESS_EVENT_SCHEMA_VERSIONS,
  'party-contracts': ACCOUNT_CONTRACTS_EVENT_SCHEMA_VERSIONS,
  'index-backfill': INDEX_BACKFILL_EVENT_SCHEMA_VERSIONS,
  task: TASK_EVENT_SCHEMA_VERSIONS,
  competition: COMPETITION_EVENT_SCHEMA_VERSIONS,
};

/** Current schema version of every event type; a type named by two kinds of stream would be ambiguous, so it is refused. */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = (() => {
  const versions: Record<string, number> = {};
  for (const [kind, types] of Object.entries(SCHEMA_VERSIONS_BY_STREAM_KIND)) {
    for (const [type, version] of Object.entries(types)) {
      if (type in versions) throw new Error(`Event type ${type} is defined twice (again by ${kind} streams)`);
      versions[type] = version;
    }
  }
  return versions;
})();

/** The steps of every event type whose shape has changed. */
export const EVENT_UPCASTERS: UpcasterRegistry = { ...PAYMENT_REFERENCE_UPCASTERS };

export interface StoredEventData {
  type: string;
  data: Record<string, unknown>;
  schemaVersion: number;
}

/**
 * The data of a stored event in its type's current shape, with that version. Refuses, rather than guesses, a
 * version newer than this code knows or a gap in the chain. A type this code does not record (a fact another
 * system keeps in the same log) passes unchanged: no decider folds it and no projection reads it.
 */
export function currentShapeOf(
  stored: StoredEventData,
  registry: UpcasterRegistry = EVENT_UPCASTERS,
  currentVersions: Readonly<Record<string, number>> = EVENT_SCHEMA_VERSIONS,
): { data: Record<string, unknown>; schemaVersion: number } {
  const current = currentVersions[stored.type];
  if (current === undefined) return { data: stored.data, schemaVersion: stored.schemaVersion };
  if (!Number.isSafeInteger(stored.schemaVersion) || stored.schemaVersion < 1 || stored.schemaVersion > current) {
    throw new Error(`${stored.type} v${stored.schemaVersion} cannot be read: this code knows versions 1 to ${current}`);
  }
  let data = stored.data;
  for (let version = stored.schemaVersion; version < current; version += 1) {
    const step = registry[stored.type]?.[version];
    if (!step) throw new Error(`no upcaster from ${stored.type} v${version} to v${version + 1}`);
    data = step(data);
  }
  return { data, schemaVersion: current };
}
