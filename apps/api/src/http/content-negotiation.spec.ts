import { negotiate } from './content-negotiation';
import { ProblemError } from './problem';

const OFFERED = ['application/json', 'text/csv'] as const;

describe('content negotiation', () => {
  it('answers the default without an Accept, or with one that ranks every type alike', () => {
    expect(negotiate(undefined, OFFERED)).toBe('application/json');
    expect(negotiate('', OFFERED)).toBe('application/json');
    expect(negotiate('*/*', OFFERED)).toBe('application/json');
    expect(negotiate('text/csv, application/json', OFFERED)).toBe('application/json');
  });

  it('picks the type the caller prefers, by quality and then by how precisely a range names it', () => {
    expect(negotiate('text/csv', OFFERED)).toBe('text/csv');
    expect(negotiate('text/*', OFFERED)).toBe('text/csv');
    expect(negotiate('application/json;q=0.5, text/csv', OFFERED)).toBe('text/csv');
    expect(negotiate('*/*;q=0.1, text/csv;q=0.2', OFFERED)).toBe('text/csv');
    expect(negotiate('text/csv;q=0, */*', OFFERED)).toBe('application/json');
    expect(negotiate(['text/html', 'text/csv; charset=utf-8'], OFFERED)).toBe('text/csv');
    expect(negotiate('TEXT/CSV', OFFERED)).toBe('text/csv');
  });

  it('refuses with 406 NOT_ACCEPTABLE, listing what the route answers, when no offered type is acceptable', () => {
    for (const accept of ['application/xml', 'text/csv;q=0, application/json;q=0', 'image/*', 'not a media type', 'x'.repeat(2000)]) {
      let thrown: unknown;
      try {
        negotiate(accept, OFFERED);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProblemError);
      expect(thrown).toMatchObject({ status: 406, code: 'NOT_ACCEPTABLE', extensions: { available: ['application/json', 'text/csv'] } });
    }
  });
});
