import { DomainError } from './domain-error';
import { boolean, breachOf, digits, oneOf, positiveYen, refuseFieldErrors, required, requiredText, text } from './field-errors';

const refusalOf = (run: () => void): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('the shared field checks', () => {
  it('find nothing wrong with acceptable values', () => {
    expect([
      ...required('id', 'w-1'),
      ...text('reason', '修正をお願いします。\n'),
      ...text('reason', undefined),
      ...boolean('flag', false),
      ...oneOf('kind', ['payout', 'refund'], 'refund'),
      ...positiveYen('amount', 1),
      ...digits('bankCode', '0036', 4),
      ...breachOf('at', undefined),
    ]).toEqual([]);
  });

  it('name the field and the rule each bad value breaks', () => {
    expect([
      ...required('id', '  '),
      ...text('reason', 'a\u0000b'),
      ...boolean('flag', 'yes'),
      ...oneOf('kind', ['payout', 'refund'], 'gift'),
      ...positiveYen('amount', 1.5),
      ...positiveYen('amount', 0),
      ...digits('bankCode', '036', 4),
      ...breachOf('at', { rule: 'instant', message: 'at must be an instant' }),
    ]).toEqual([
      { field: 'id', rule: 'required', message: 'must be a non-empty string' },
      { field: 'reason', rule: 'freeText', message: expect.stringContaining('U+0000') },
      { field: 'flag', rule: 'isBoolean', message: 'must be true or false' },
      { field: 'kind', rule: 'isIn', message: 'must be one of payout, refund' },
      { field: 'amount', rule: 'isPositiveInt', message: 'must be a positive whole number of yen' },
      { field: 'amount', rule: 'isPositiveInt', message: 'must be a positive whole number of yen' },
      { field: 'bankCode', rule: 'digits', message: 'must be exactly 4 digits' },
      { field: 'at', rule: 'instant', message: 'at must be an instant' },
    ]);
  });

  it('require free text to be given and to keep to the free-text rule', () => {
    expect(requiredText('reason', '口座名義の確認をお願いします。')).toEqual([]);
    expect(requiredText('reason', undefined)).toEqual([{ field: 'reason', rule: 'required', message: 'must be a non-empty string' }]);
    expect(requiredText('reason', 'a\u0000b')).toEqual([{ field: 'reason', rule: 'freeText', message: expect.stringContaining('U+0000') }]);
  });

  it('refuse every problem at once with VALIDATION_FAILED, and nothing when there is none', () => {
    expect(() => refuseFieldErrors([])).not.toThrow();
    const refusal = refusalOf(() => refuseFieldErrors([...required('a', ''), ...boolean('b', 1)]));
    expect(refusal).toMatchObject({ kind: 'invalid', code: 'VALIDATION_FAILED', message: 'Invalid a, b.' });
    expect(refusal.details).toEqual({
      errors: [
        { field: 'a', rule: 'required', message: 'must be a non-empty string' },
        { field: 'b', rule: 'isBoolean', message: 'must be true or false' },
      ],
    });
  });
});
