import type { ContractEvent } from '../events';
import { contractMoneyOf } from '../money-sheet';
import { diffContractViews, isEmptyDiff } from '../state-diff';
import { contractView } from '../view';
import { CONTRACT_ID, activeContract, funded, given, offered } from '../testing/fixtures';

const viewAfter = (events: ContractEvent[]) => contractView(given(events).state());
const cancelled = (milestoneId: string): ContractEvent => ({ type: 'MilestoneCancelled', data: { contractId: CONTRACT_ID, milestoneId, reason: 'Terminated' } });

describe('the money sheet of a contract', () => {
  it('counts a cancelled milestone that was never funded as cancelled, and an offer as owing no gross yet', () => {
    expect(contractMoneyOf(viewAfter([offered])).totals).toMatchObject({ amount: 118_183, gross: 0, cancelled: 0 });
    const money = contractMoneyOf(viewAfter([...activeContract, funded('m2'), cancelled('m1'), cancelled('m3')]));
    expect(money.milestones.map(({ milestoneId, status, funded, inEscrow, cancelled }) => ({ milestoneId, status, funded, inEscrow, cancelled }))).toEqual([
      { milestoneId: 'm1', status: 'cancelled', funded: 0, inEscrow: 0, cancelled: 50_000 },
      { milestoneId: 'm2', status: 'funded', funded: 30_000, inEscrow: 30_000, cancelled: 0 },
      { milestoneId: 'm3', status: 'cancelled', funded: 0, inEscrow: 0, cancelled: 50_000 },
    ]);
    expect(money.totals).toMatchObject({ gross: 130_000, funded: 30_000, inEscrow: 30_000, cancelled: 100_000 });
  });
});

describe('the difference between two states of a contract', () => {
  it('names the status, the money totals and each milestone that changed, with signed deltas', () => {
    const diff = diffContractViews(viewAfter([offered]), viewAfter([...activeContract, funded('m2'), cancelled('m1')]));
    expect(diff.status).toEqual({ before: 'offered', after: 'active' });
    expect(diff.money).toEqual(
      expect.arrayContaining([
        { field: 'gross', before: 0, after: 130_000, delta: 130_000 },
        { field: 'funded', before: 0, after: 30_000, delta: 30_000 },
        { field: 'cancelled', before: 0, after: 50_000, delta: 50_000 },
      ]),
    );
    expect(diff.milestones.map((change) => [change.milestoneId, change.status])).toEqual([
      ['m1', { before: 'unfunded', after: 'cancelled' }],
      ['m2', { before: 'unfunded', after: 'funded' }],
      ['m3', null],
    ]);
    expect(diff.milestones[2].money).toEqual([{ field: 'gross', before: 0, after: 50_000, delta: 50_000 }]);
    expect(diff.terms).toEqual(
      expect.arrayContaining([
        { field: 'feeScheduleId', before: null, after: 'crowdworks-2019-10' },
        { field: 'taxRate', before: null, after: '0.10' },
      ]),
    );
  });

  it('names milestones added and removed by an amended offer, and nothing when nothing changed', () => {
    const amended: ContractEvent = {
      type: 'OfferAmended',
      data: { ...offered.data, milestones: [{ milestoneId: 'm9', title: 'Everything', amount: 100_000, dueDate: '2025-08-01' }] },
    };
    const diff = diffContractViews(viewAfter([offered]), viewAfter([offered, amended]));
    expect(diff.milestones.map((change) => [change.milestoneId, change.change])).toEqual([
      ['m9', 'added'],
      ['m1', 'removed'],
      ['m2', 'removed'],
      ['m3', 'removed'],
    ]);
    expect(diff.money).toEqual([{ field: 'amount', before: 118_183, after: 100_000, delta: -18_183 }]);
    expect(isEmptyDiff(diffContractViews(viewAfter(activeContract), viewAfter(activeContract)))).toBe(true);
  });

  it('starts from nothing before the offer', () => {
    const diff = diffContractViews(null, viewAfter([offered]));
    expect(diff.status).toEqual({ before: null, after: 'offered' });
    expect(diff.milestones.every((change) => change.change === 'added')).toBe(true);
    expect(diff.terms).toContainEqual({ field: 'title', before: null, after: 'Corporate website' });
  });
});
