import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ID_PATTERN, MAX_ID_LENGTH } from '@escrow/domain/shared/limits';

/**
 * Property decorators for response classes: each states the exact OpenAPI type of a kind of value the
 * service returns (whole yen, ids, instants, dates), so every response documents its fields the same way.
 * `optional`: the field may be absent; `nullable`: present and possibly null.
 */
interface FieldOptions {
  description?: string;
  optional?: boolean;
  nullable?: boolean;
}

function field(schema: Record<string, unknown>, options: FieldOptions): PropertyDecorator {
  const property = {
    ...schema,
    ...(options.description ? { description: options.description } : {}),
    ...(options.nullable ? { nullable: true } : {}),
  };
  return options.optional ? ApiPropertyOptional(property) : ApiProperty({ ...property, required: true });
}

/** An amount of whole yen, never negative unless `signed`. */
export const YenField = (options: FieldOptions & { signed?: boolean } = {}) =>
  field({ type: 'integer', format: 'int64', ...(options.signed ? {} : { minimum: 0 }), maximum: Number.MAX_SAFE_INTEGER }, options);

/** A count of things. */
export const CountField = (options: FieldOptions = {}) => field({ type: 'integer', minimum: 0 }, options);

/** A position in the global log or a stream revision (-1: the stream does not exist yet). */
export const PositionField = (options: FieldOptions & { minimum?: number } = {}) =>
  field({ type: 'integer', minimum: options.minimum ?? 0, maximum: Number.MAX_SAFE_INTEGER }, options);

/** An id in the form callers and the service use. */
export const IdField = (options: FieldOptions = {}) =>
  field({ type: 'string', pattern: ID_PATTERN.source, maxLength: MAX_ID_LENGTH }, options);

/** An ISO-8601 instant. */
export const InstantField = (options: FieldOptions = {}) => field({ type: 'string', format: 'date-time' }, options);

/** A calendar date YYYY-MM-DD. */
export const DateField = (options: FieldOptions = {}) => field({ type: 'string', format: 'date' }, options);

export const TextField = (options: FieldOptions & { maxLength?: number } = {}) =>
  field({ type: 'string', ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}) }, options);

export const BooleanField = (options: FieldOptions = {}) => field({ type: 'boolean' }, options);

/** One of `values`; with `nullable`, null is listed among them too, as OpenAPI 3.0.3 asks of a nullable enum. */
export const EnumField = (values: readonly string[], options: FieldOptions = {}) =>
  field({ type: 'string', enum: options.nullable ? [...values, null] : [...values] }, options);

export const EnumListField = (values: readonly string[], options: FieldOptions = {}) =>
  field({ type: 'array', items: { type: 'string', enum: [...values] } }, options);

export const IntegerEnumListField = (values: readonly number[], options: FieldOptions = {}) =>
  field({ type: 'array', items: { type: 'integer', enum: [...values] } }, options);

export const TextListField = (options: FieldOptions = {}) => field({ type: 'array', items: { type: 'string' } }, options);

/** Another response class, or a list of them. */
export const NestedField = (type: () => Type<unknown>, options: FieldOptions & { list?: boolean } = {}) =>
  applyDecorators(
    (options.optional ? ApiPropertyOptional : ApiProperty)({
      // @nestjs/swagger takes a function for a lazy type only when it is named `type`, as an arrow written in place is.
      type: () => type(),
      isArray: options.list ?? false,
      ...(options.description ? { description: options.description } : {}),
      ...(options.nullable ? { nullable: true } : {}),
      ...(options.optional ? {} : { required: true }),
    }),
  );

/** A JSON object whose members the service does not fix (an event's data, a problem's details). */
export const FreeFormField = (options: FieldOptions = {}) => field({ type: 'object', additionalProperties: true }, options);

/**
 * Any JSON value: text, a number, true or false, an object or a list (a value a history says changed). `nullable` is
 * stated on the object branch, which alone takes null: OpenAPI 3.0 wants a type beside it.
 */
export const AnyValueField = ({ nullable = false, ...options }: FieldOptions = {}) =>
  field(
    {
      oneOf: [
        { type: 'string' },
        { type: 'number' },
        { type: 'boolean' },
        { type: 'object', additionalProperties: true, ...(nullable ? { nullable: true } : {}) },
        { type: 'array', items: {} },
      ],
    },
    options,
  );

/**
 * Every value of a string union, checked by the compiler both ways (no member missing, none extra), for the
 * `enum` of a documented field: `everyValueOf<ContractStatus>()(['offered', ...])`.
 */
export const everyValueOf =
  <Union extends string>() =>
  <const Values extends readonly Union[]>(
    values: Values & ([Union] extends [Values[number]] ? unknown : { missing: Exclude<Union, Values[number]> }),
  ): Values =>
    values;

/** A string of a fixed form (bank codes, digests). */
export const PatternField = (pattern: RegExp, options: FieldOptions = {}) => field({ type: 'string', pattern: pattern.source }, options);
