import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { calendarDate, deliverableUri, FieldRule, freeText, instant } from '@escrow/domain/shared/field-rules';
import { ID_PATTERN_DESCRIPTION } from '@escrow/domain/shared/limits';

/**
 * Request validation with the domain's own field rules: the constraint is named after the rule and its
 * message is the rule's, so a value is refused in the same words whether the DTO or the decider catches it.
 */
function satisfiesDomainRule(name: string, rule: FieldRule, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => rule(value, args.property) === undefined,
        defaultMessage: (args?: ValidationArguments) => (args ? rule(args.value, args.property)?.message : undefined) ?? `${name} rule broken`,
      },
    });
  };
}

/** No NUL, no control characters but newline and tab, no unpaired UTF-16 surrogates. */
export const IsFreeText = (options?: ValidationOptions) => satisfiesDomainRule('freeText', freeText, options);

/** A real calendar date YYYY-MM-DD within the domain's bounds (2000-01-01 to 2100-12-31). */
export const IsCalendarDate = (options?: ValidationOptions) => satisfiesDomainRule('calendarDate', calendarDate, options);

/** A real ISO-8601 instant with offset within the domain's bounds. */
export const IsInstant = (options?: ValidationOptions) => satisfiesDomainRule('instant', instant, options);

/** https:, or http: on a loopback host; no credentials. */
export const IsDeliverableUri = (options?: ValidationOptions) => satisfiesDomainRule('deliverableUri', deliverableUri, options);

/** The message of an id field refused by `@Matches(ID_PATTERN)`, in the decider's words. */
export const idMessage = (field: string): string => `${field} must be ${ID_PATTERN_DESCRIPTION}`;
