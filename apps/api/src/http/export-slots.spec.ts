import { ProblemError } from './problem';
import { ExportSlots, EXPORTS_BUSY_RETRY_AFTER_SECONDS } from './export-slots';

describe('ExportSlots', () => {
  it('lets EXPORT_MAX_CONCURRENT exports run at once, refuses the next with 503 EXPORTS_BUSY and Retry-After, and takes again once one ends', () => {
    const slots = new ExportSlots({ exportMaxConcurrent: 2 });
    const first = slots.take();
    slots.take();
    let refusal: unknown;
    try {
      slots.take();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ProblemError);
    expect(refusal).toMatchObject({ status: 503, code: 'EXPORTS_BUSY', extensions: { limit: 2 }, headers: { 'retry-after': String(EXPORTS_BUSY_RETRY_AFTER_SECONDS) } });
    expect(slots.inUse).toBe(2);
    first();
    // Releasing twice frees one slot, not two.
    first();
    expect(slots.inUse).toBe(1);
    slots.take();
    expect(() => slots.take()).toThrow(ProblemError);
  });
});
