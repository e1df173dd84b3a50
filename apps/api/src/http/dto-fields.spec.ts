import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from './validation';
import { FreeText, Id, ListOf, OptionalFreeText, Yen } from './dto-fields';

class Item {
  @Id()
  itemId!: string;
}

class Sample {
  @FreeText(5)
  name!: string;

  @OptionalFreeText(5, { mayBeEmpty: true })
  note?: string;

  @Yen({ minimum: 1, maximum: 10 })
  amount!: number;

  @ListOf(Item, { minItems: 1, maxItems: 2 })
  items!: Item[];
}

const errorsOf = (body: object) => flattenValidationErrors(validateSync(plainToInstance(Sample, body)));

describe('shared DTO fields', () => {
  it('accept a body within every bound', () => {
    expect(errorsOf({ name: 'abc', note: '', amount: 10, items: [{ itemId: 'i-1' }] })).toEqual([]);
  });

  it('report the broken rules of a field as the same decorators stacked over it would (the lowest first)', () => {
    expect(errorsOf({ name: 42, amount: 1, items: [{ itemId: 'i-1' }] }).map(({ field, rule }) => `${field}:${rule}`)).toEqual([
      'name:freeText',
      'name:maxLength',
      'name:isString',
    ]);
  });

  it('refuse an empty required text, an amount out of bounds and too many items, each naming its nested field', () => {
    const errors = errorsOf({ name: '', amount: 11, items: [{ itemId: 'i-1' }, { itemId: '-bad' }, { itemId: 'i-3' }] });
    expect(errors.map(({ field, rule }) => `${field}:${rule}`)).toEqual(['name:isNotEmpty', 'amount:max', 'items:arrayMaxSize', 'items[1].itemId:matches']);
    expect(errors.find((error) => error.field === 'items[1].itemId')?.message).toMatch(/^itemId must be /);
  });

  it('leave an optional text out when it is absent', () => {
    expect(errorsOf({ name: 'a', amount: 1, items: [{ itemId: 'i' }] })).toEqual([]);
  });
});
