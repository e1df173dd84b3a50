import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { badRequest, FieldError } from './problem';

/** Flattens class-validator's nested errors into one entry per broken rule, with a JSON path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = !parent ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule: rule === 'whitelistValidation' ? 'unknownField' : rule, message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** A command sent with no body at all is a command with no fields. */
class CommandBodyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return super.transform(metadata.type === 'body' && value == null ? {} : value, metadata);
  }
}

/** Unknown fields are refused, values are converted only where a DTO says so, and every field error is reported. */
export function createValidationPipe(): ValidationPipe {
  return new CommandBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => badRequest(flattenValidationErrors(errors)),
  });
}

/**
 * Fields only some roles may send (support's termination splits, say) are refused when another role sends
 * them, naming the field: a value the command would silently drop must not look accepted.
 */
export function refuseFieldsNotForRole(body: object, role: string, allowedRolesByField: Record<string, readonly string[]>): void {
  const errors: FieldError[] = Object.entries(allowedRolesByField)
    .filter(([field, roles]) => (body as Record<string, unknown>)[field] !== undefined && !roles.includes(role))
    .map(([field, roles]) => ({ field, rule: 'notAllowedForRole', message: `${field} may be sent only by the role ${roles.join(' or ')}, not ${role}` }));
  if (errors.length > 0) throw badRequest(errors);
}
