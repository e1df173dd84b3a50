import { applyDecorators, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiOperation, ApiOperationOptions } from '@nestjs/swagger';
import { CommandResponses } from './openapi/operation-responses';
import { CommandHeaders } from './openapi-decorators';

/**
 * Applies decorators as if they were written one above the other, in this order: TypeScript applies the lowest
 * first, and the order they are applied in is the order of what they record (a field's broken rules, a
 * route's documented parameters).
 */
export const stacked = (...decorators: Array<ClassDecorator | MethodDecorator | PropertyDecorator>) => applyDecorators(...decorators.reverse());

/** A method decorator that only takes a handler answering (a promise of) `Response`. */
export type AnsweringWith<Response> = <Handler extends (...args: never[]) => Promise<Response> | Response>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<Handler>,
) => void;

/**
 * A command: a POST answered with `status` and a body of the `response` class, or a problem; documented with the
 * headers every command takes and its operation. The class implements the type the handler returns, and the
 * handler must return what the class describes: the compiler holds the document and the code together both ways.
 */
export const CommandRoute = <Response>(
  path: string,
  status: 200 | 201,
  response: Type<Response>,
  operation: ApiOperationOptions,
  options: { problems?: readonly number[] } = {},
): AnsweringWith<Response> =>
  stacked(
    Post(path),
    HttpCode(status),
    CommandHeaders(),
    ApiOperation(operation),
    CommandResponses(response, { created: status === 201, ...(options.problems ? { problems: options.problems } : {}) }),
  );
