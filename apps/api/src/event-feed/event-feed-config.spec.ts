import { InvalidConfigError } from '../config/app-config';
import { EVENT_FEED_BOUNDS, loadEventFeedConfig } from './event-feed-config';

describe('the event feed configuration', () => {
  it('has defaults for every bound', () => {
    expect(loadEventFeedConfig({})).toEqual({
      heartbeatMs: 15_000,
      retryMs: 2_000,
      pageSize: 200,
      stallTimeoutMs: 30_000,
      maxLagEvents: 10_000,
      maxStreamsPerClient: 8,
      closeGraceMs: 10_000,
    });
  });

  it('reads each bound from its variable', () => {
    const config = loadEventFeedConfig({
      EVENT_FEED_HEARTBEAT_MS: '100',
      EVENT_FEED_MAX_STREAMS_PER_CLIENT: '2',
      EVENT_FEED_STALL_TIMEOUT_MS: '400',
    });
    expect(config).toMatchObject({ heartbeatMs: 100, maxStreamsPerClient: 2, stallTimeoutMs: 400 });
  });

  it('refuses values out of range or not integers, every one at once', () => {
    const bad = {
      EVENT_FEED_HEARTBEAT_MS: '10',
      EVENT_FEED_PAGE_SIZE: '5000',
      EVENT_FEED_MAX_STREAMS_PER_CLIENT: '1.5',
      EVENT_FEED_RETRY_MS: 'soon',
    };
    let error: unknown;
    try {
      loadEventFeedConfig(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).problems.map((problem) => problem.split(' ')[0]).sort()).toEqual(Object.keys(bad).sort());
  });

  it('names a variable for every bound', () => {
    expect(
      Object.values(EVENT_FEED_BOUNDS).every(
        (bound) => bound.env.startsWith('EVENT_FEED_') && bound.default >= bound.min && bound.default <= bound.max,
      ),
    ).toBe(true);
  });
});
