import { describeEventStoreContract } from '../testing/store-contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('InMemoryEventStore', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close(), capabilities: { contiguousPositions: true, committedHeadPosition: true } };
});
