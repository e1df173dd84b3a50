import {
  AccessDeniedError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../port';
import { isTransientEsdbError, mapAppendError, mapEsdbError } from './esdb-errors';
import { PositionOutOfRangeError } from './positions';

type ServiceError = ConstructorParameters<typeof NotLeaderError>[0];

/** The shape of a gRPC failure as the client receives it (status code, details, trailing metadata). */
const serviceError = (code: number, details: string, metadata: Record<string, string> = {}): ServiceError =>
  Object.assign(new Error(details), { code, details, metadata: { getMap: () => metadata } }) as unknown as ServiceError;

const notLeader = (): NotLeaderError =>
  new NotLeaderError(
    serviceError(5, 'Leader info available', {
      exception: 'not-leader',
      'leader-endpoint-host': 'eventstore-2',
      'leader-endpoint-port': '2113',
    }),
  );

describe('EventStoreDB error mapping', () => {
  describe('appends refused by the expected-revision check', () => {
    it('become WrongExpectedRevisionError with the current revision', () => {
      const error = new WrongExpectedVersionError(undefined, { streamName: 'contract-1', expected: 3n, current: 5n });

      const mapped = mapAppendError(error, 'contract-1', 3);

      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ streamId: 'contract-1', expected: 3, actual: 5 });
    });

    it('report -1 when the stream does not exist', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'contract-2',
        expected: 'stream_exists',
        current: 'no_stream',
      });

      expect(mapAppendError(error, 'contract-2', 'stream_exists')).toMatchObject({
        expected: 'stream_exists',
        actual: -1,
      });
    });

    it('refuse a current revision beyond the safe integer range rather than round it', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'contract-3',
        expected: 0n,
        current: 2n ** 53n + 1n,
      });

      expect(() => mapAppendError(error, 'contract-3', 0)).toThrow(PositionOutOfRangeError);
    });
  });

  describe('failures to reach a usable node', () => {
    const transient: Array<[string, unknown]> = [
      ['UnavailableError', new UnavailableError(serviceError(14, 'No connection established'))],
      ['NotLeaderError', notLeader()],
      ['DeadlineExceededError', new DeadlineExceededError(serviceError(4, 'Deadline exceeded'))],
      ['TimeoutError (server-side abort)', new TimeoutError(serviceError(10, 'Operation timed out'))],
      ['a reset HTTP/2 stream', new UnknownError(serviceError(13, 'Received RST_STREAM with code 2'))],
      ['a raw gRPC UNAVAILABLE', serviceError(14, 'connect ECONNREFUSED 10.0.0.7:2113')],
      ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
      ['failed cluster discovery', new Error('Failed to discover after 10 attempts.')],
    ];

    it.each(transient)('%s becomes EventStoreUnavailableError carrying the cause', (_, error) => {
      expect(isTransientEsdbError(error)).toBe(true);

      const mapped = mapEsdbError(error, 'append to contract-1');

      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect(mapped).toMatchObject({ retryAfterSeconds: 1, cause: error });
      expect((mapped as Error).message).toContain('append to contract-1');
    });

    it('an append that could not reach the leader becomes EventStoreUnavailableError, not a revision conflict', () => {
      expect(mapAppendError(notLeader(), 'contract-1', 2)).toBeInstanceOf(EventStoreUnavailableError);
    });
  });

  describe('errors retrying cannot cure', () => {
    const permanent: Array<[string, unknown]> = [
      ['AccessDeniedError', new AccessDeniedError(serviceError(7, 'Access denied'))],
      ['StreamDeletedError', StreamDeletedError.fromStreamName('contract-9')],
      ['an unknown server failure', new UnknownError(serviceError(2, 'boom'))],
      ['a programming error', new TypeError('x is not a function')],
      ['a refused position', new PositionOutOfRangeError('position', 2n ** 60n)],
    ];

    it.each(permanent)('%s is passed through unchanged', (_, error) => {
      expect(isTransientEsdbError(error)).toBe(false);
      expect(mapEsdbError(error, 'read $all')).toBe(error);
      expect(mapAppendError(error, 'contract-9', 'any')).toBe(error);
    });
  });
});
