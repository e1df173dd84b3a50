import {
  assertFeeSchedule,
  DEFAULT_FEE_SCHEDULE_ID,
  DEFAULT_FEE_SCHEDULE_LINE,
  defaultFeeScheduleAt,
  FEE_SCHEDULES,
  getFeeSchedule,
  type FeeSchedule,
} from './fee-schedules';

describe('fee schedules', () => {
  it('ship the default and the two presets with distinct ids', () => {
    expect(FEE_SCHEDULES.map((schedule) => schedule.id).sort()).toEqual([
      'coconala-2021-04',
      'crowdworks-2019-10',
      'lancers-2022-10',
    ]);
    expect(DEFAULT_FEE_SCHEDULE_ID).toBe('crowdworks-2019-10');
    expect(DEFAULT_FEE_SCHEDULE_LINE).toContain(DEFAULT_FEE_SCHEDULE_ID);
  });

  it('are all well-formed', () => {
    FEE_SCHEDULES.forEach((schedule) => expect(() => assertFeeSchedule(schedule)).not.toThrow());
  });

  it('describe the CrowdWorks tiers as data', () => {
    expect(getFeeSchedule('crowdworks-2019-10')).toMatchObject({
      effectiveFrom: '2019-10-01',
      tiers: [
        { upTo: 100_000, rate: '0.20' },
        { upTo: 200_000, rate: '0.10' },
        { upTo: null, rate: '0.05' },
      ],
    });
  });

  it('model the flat tax-inclusive presets as an ex-tax rate plus tax', () => {
    expect(getFeeSchedule('lancers-2022-10')?.tiers).toEqual([{ upTo: null, rate: '0.15' }]);
    expect(getFeeSchedule('coconala-2021-04')?.tiers).toEqual([{ upTo: null, rate: '0.20' }]);
  });

  it('return undefined for an unknown id', () => {
    expect(getFeeSchedule('crowdworks-2015-01')).toBeUndefined();
  });

  it('cannot be edited in place, because contracts recorded them', () => {
    const schedule = getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID) as FeeSchedule;
    expect(() => {
      schedule.tiers[0].rate = '0.50';
    }).toThrow(TypeError);
    expect(() => {
      schedule.tiers.push({ upTo: null, rate: '0' });
    }).toThrow(TypeError);
    expect(getFeeSchedule(DEFAULT_FEE_SCHEDULE_ID)?.tiers[0].rate).toBe('0.20');
  });
});

describe('defaultFeeScheduleAt', () => {
  it('picks the default version in force on the date', () => {
    expect(defaultFeeScheduleAt('2019-10-01').id).toBe('crowdworks-2019-10');
    expect(defaultFeeScheduleAt('2025-06-30T10:00:00Z').id).toBe('crowdworks-2019-10');
    expect(defaultFeeScheduleAt('2019-09-30T15:00:00Z').id).toBe('crowdworks-2019-10');
  });

  it('refuses dates before the first version', () => {
    expect(() => defaultFeeScheduleAt('2019-09-30')).toThrow(/no default fee schedule/);
  });
});

describe('assertFeeSchedule', () => {
  const valid: FeeSchedule = {
    id: 'test',
    effectiveFrom: '2024-01-01',
    tiers: [
      { upTo: 1_000, rate: '0.2' },
      { upTo: null, rate: '0.1' },
    ],
    description: 'test',
  };

  it.each<[string, FeeSchedule]>([
    ['no tiers', { ...valid, tiers: [] }],
    ['a bounded last tier', { ...valid, tiers: [{ upTo: 1_000, rate: '0.2' }] }],
    ['an open tier before the last', { ...valid, tiers: [{ upTo: null, rate: '0.2' }, { upTo: null, rate: '0.1' }] }],
    ['descending bounds', { ...valid, tiers: [{ upTo: 2_000, rate: '0.2' }, { upTo: 1_000, rate: '0.1' }, { upTo: null, rate: '0' }] }],
    ['a float rate', { ...valid, tiers: [{ upTo: null, rate: 0.2 as unknown as string }] }],
    ['a rate above 1', { ...valid, tiers: [{ upTo: null, rate: '1.2' }] }],
    ['an empty id', { ...valid, id: '' }],
    ['a malformed effective date', { ...valid, effectiveFrom: '2024-13-01' }],
  ])('refuses %s', (_, schedule) => {
    expect(() => assertFeeSchedule(schedule)).toThrow();
  });

  it('accepts a well-formed schedule', () => {
    expect(() => assertFeeSchedule(valid)).not.toThrow();
  });
});
