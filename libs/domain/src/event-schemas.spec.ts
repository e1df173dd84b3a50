import { ACCOUNT_EVENT_SCHEMA_VERSIONS } from './account/events';
import { CONTRACT_EVENT_SCHEMA_VERSIONS } from './contract/events';
import { currentShapeOf, EVENT_SCHEMA_VERSIONS, type UpcasterRegistry } from './event-schemas';
import { PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS } from './payment-reference/decider';
import { WALLET_EVENT_SCHEMA_VERSIONS } from './wallet/events';

describe('the one registry of event shapes', () => {
  it('knows every event type of every kind of stream at its current version', () => {
    for (const versions of [CONTRACT_EVENT_SCHEMA_VERSIONS, WALLET_EVENT_SCHEMA_VERSIONS, ACCOUNT_EVENT_SCHEMA_VERSIONS, PAYMENT_REFERENCE_EVENT_SCHEMA_VERSIONS]) {
      expect(EVENT_SCHEMA_VERSIONS).toMatchObject(versions);
    }
  });

  const stored = { type: 'WalletCredited', data: { accountId: 'w', amount: 8580 }, schemaVersion: 1 };

  it('hands an event in its current shape on unchanged, the same data object', () => {
    expect(currentShapeOf(stored).data).toBe(stored.data);
  });

  it('applies each step from the stored version up to the current one, for any kind of stream', () => {
    const registry: UpcasterRegistry = { WalletCredited: { 1: (data) => ({ ...data, currency: 'JPY' }), 2: (data) => ({ ...data, v: 3 }) } };
    expect(currentShapeOf(stored, registry, { WalletCredited: 3 })).toEqual({ data: { accountId: 'w', amount: 8580, currency: 'JPY', v: 3 }, schemaVersion: 3 });
    expect(stored.data).toEqual({ accountId: 'w', amount: 8580 });
  });

  it('refuses a version newer than this code knows and a gap in the chain', () => {
    expect(() => currentShapeOf({ ...stored, schemaVersion: 2 })).toThrow(/WalletCredited v2 cannot be read/);
    expect(() => currentShapeOf(stored, {}, { WalletCredited: 2 })).toThrow(/no upcaster from WalletCredited v1/);
  });

  it('passes a type no stream of this service records, which nothing folds or projects', () => {
    const foreign = { type: 'StoreIdentified', data: { storeId: 's' }, schemaVersion: 7 };
    expect(currentShapeOf(foreign)).toEqual({ data: foreign.data, schemaVersion: 7 });
  });
});
