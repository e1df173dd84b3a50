import { upcastContractEvent, type UpcasterRegistry } from '../upcast';

describe('upcasting stored contract events', () => {
  const stored = { type: 'RevisionRequested', data: { contractId: 'c', milestoneId: 'm1', reason: 'x' }, schemaVersion: 1 };

  it('passes a current-version event through unchanged', () => {
    expect(upcastContractEvent(stored)).toEqual({ type: 'RevisionRequested', data: stored.data });
  });

  it('applies each step from the stored version up to the current one, in order', () => {
    const registry: UpcasterRegistry = {
      RevisionRequested: {
        1: (data) => ({ ...data, reasons: [data.reason] }),
        2: (data) => ({ ...data, category: 'other', steps: 'v1→v2→v3' }),
      },
    };
    const upcast = upcastContractEvent(stored, registry, { RevisionRequested: 3 });
    expect(upcast.data).toEqual({ contractId: 'c', milestoneId: 'm1', reason: 'x', reasons: ['x'], category: 'other', steps: 'v1→v2→v3' });
    expect(stored.data).toEqual({ contractId: 'c', milestoneId: 'm1', reason: 'x' });
  });

  it('refuses a missing step, a version from the future and a foreign type', () => {
    expect(() => upcastContractEvent(stored, {}, { RevisionRequested: 2 })).toThrow(/no upcaster from RevisionRequested v1/);
    expect(() => upcastContractEvent({ ...stored, schemaVersion: 2 })).toThrow(/cannot be read/);
    expect(() => upcastContractEvent({ ...stored, type: 'WalletCredited' })).toThrow(/not a contract event/);
  });
});
