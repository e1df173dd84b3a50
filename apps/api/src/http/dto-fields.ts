import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ID_PATTERN, MAX_ID_LENGTH } from '@escrow/domain/shared/limits';
import { idMessage, IsFreeText } from './field-rules';
import { stacked } from './decorators';

/**
 * The kinds of field request bodies share (free text, whole yen, lists, ids), each one decorator that validates it and documents it with the
 * same bounds. A bound is always a parameter, so every DTO still names the domain's constant.
 */

/** What the OpenAPI document says of a field beside its bounds (description, example). */
type FieldDocs = Pick<ApiPropertyOptions, 'description' | 'example' | 'nullable'>;

const documented = (optional: boolean, options: ApiPropertyOptions): PropertyDecorator =>
  optional ? ApiPropertyOptional(options) : ApiProperty(options);

/** Free text (the domain's free-text rule) of at most `maxLength` characters; empty only where `mayBeEmpty`. */
function text(optional: boolean, maxLength: number, docs: FieldDocs & { mayBeEmpty?: boolean }): PropertyDecorator {
  const { mayBeEmpty = false, ...openApi } = docs;
  return stacked(
    documented(optional, { ...openApi, maxLength }),
    ...(optional ? [IsOptional()] : []),
    IsString(),
    ...(mayBeEmpty ? [] : [IsNotEmpty()]),
    MaxLength(maxLength),
    IsFreeText(),
  );
}

export const FreeText = (maxLength: number, docs: FieldDocs = {}) => text(false, maxLength, docs);
export const OptionalFreeText = (maxLength: number, docs: FieldDocs & { mayBeEmpty?: boolean } = {}) => text(true, maxLength, docs);

/** Whole yen from `minimum` (when there is one) to `maximum`. */
function yen(optional: boolean, bounds: { minimum?: number; maximum: number }, docs: FieldDocs): PropertyDecorator {
  const { minimum, maximum } = bounds;
  return stacked(
    documented(optional, { type: 'integer', format: 'int64', ...docs, ...bounds }),
    ...(optional ? [IsOptional()] : []),
    IsInt(),
    ...(minimum !== undefined ? [Min(minimum)] : []),
    Max(maximum),
  );
}

export const Yen = (bounds: { minimum?: number; maximum: number }, docs: FieldDocs = {}) => yen(false, bounds, docs);
export const OptionalYen = (bounds: { minimum?: number; maximum: number }, docs: FieldDocs = {}) => yen(true, bounds, docs);

/** A list of nested objects of one class, each validated, of at most `maxItems` (and at least `minItems`). */
function listOf(optional: boolean, item: new () => object, bounds: { minItems?: number; maxItems: number }, docs: FieldDocs): PropertyDecorator {
  const { minItems, maxItems } = bounds;
  return stacked(
    documented(optional, { type: [item], ...docs, ...bounds }),
    ...(optional ? [IsOptional()] : []),
    IsArray(),
    ...(minItems !== undefined ? [ArrayMinSize(minItems)] : []),
    ArrayMaxSize(maxItems),
    ValidateNested({ each: true }),
    Type(() => item),
  );
}

export const ListOf = (item: new () => object, bounds: { minItems?: number; maxItems: number }, docs: FieldDocs = {}) => listOf(false, item, bounds, docs);
export const OptionalListOf = (item: new () => object, bounds: { minItems?: number; maxItems: number }, docs: FieldDocs = {}) =>
  listOf(true, item, bounds, docs);

/** An id (the domain's id pattern), refused in the decider's words with the field's own name. */
export const Id =
  (docs: FieldDocs = {}): PropertyDecorator =>
  (target, property) =>
    stacked(ApiProperty({ ...docs, pattern: ID_PATTERN.source, maxLength: MAX_ID_LENGTH }), Matches(ID_PATTERN, { message: idMessage(String(property)) }))(target, property);
