/** Where @nestjs/swagger keeps an operation's documented responses; its constants are not exported. */
const SWAGGER_RESPONSES = 'swagger/apiResponse';

/**
 * Adds media types (and headers) to a response an operation already documents: a route that answers JSON by
 * default and another format on `Accept`. Apply it above the decorator that documents the response, since
 * decorators run from the bottom up and this one extends what is already recorded.
 */
export function AlternativeContent(
  status: number,
  content: Record<string, { schema: object }>,
  headers: Record<string, object> = {},
): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const responses = (Reflect.getMetadata(SWAGGER_RESPONSES, method) ?? {}) as Record<
      string,
      { content?: Record<string, unknown>; headers?: Record<string, unknown> }
    >;
    const existing = responses[String(status)];
    if (!existing?.content) throw new Error(`AlternativeContent: no documented ${status} response to extend`);
    Reflect.defineMetadata(
      SWAGGER_RESPONSES,
      {
        ...responses,
        [String(status)]: { ...existing, content: { ...existing.content, ...content }, headers: { ...existing.headers, ...headers } },
      },
      method,
    );
    return descriptor;
  };
}

/** A text body: NDJSON lines (each a JSON object with a newline) or CSV records, matched as a whole by `pattern`. */
export const textBody = (description: string, pattern: string) => ({ schema: { type: 'string', description, pattern } });
