import 'reflect-metadata';
import { Controller, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CommandRoute } from './decorators';
import { TextField } from './openapi/response-fields';

class ThingSchema {
  @TextField() thingId!: string;
}

@Controller('v1/things')
class ThingsController {
  @CommandRoute(':thingId/archive', 201, ThingSchema, { summary: 'Archive a thing', description: 'Actor: its owner.' })
  archive(): ThingSchema {
    return { thingId: 't-1' };
  }

  // The compiler refuses a handler that answers something else than its documented response class.
  // @ts-expect-error a count is not a ThingSchema
  @CommandRoute(':thingId/count', 200, ThingSchema, { summary: 'Count things' })
  count(): Promise<number> {
    return Promise.resolve(1);
  }
}

const handler = ThingsController.prototype.archive;

/** Where @nestjs/swagger keeps a route's operation and parameters. */
const API_OPERATION = 'swagger/apiOperation';
const API_PARAMETERS = 'swagger/apiParameters';
const API_RESPONSES = 'swagger/apiResponse';

describe('CommandRoute', () => {
  it('is a POST on its path answered with its status', () => {
    expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata(PATH_METADATA, handler)).toBe(':thingId/archive');
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, handler)).toBe(201);
  });

  it('documents its operation and the headers every command takes', () => {
    expect(Reflect.getMetadata(API_OPERATION, handler)).toMatchObject({ summary: 'Archive a thing', description: 'Actor: its owner.' });
    const headers = (Reflect.getMetadata(API_PARAMETERS, handler) as { name: string; in: string }[]).map((parameter) => `${parameter.in}:${parameter.name}`);
    expect(headers).toEqual(['header:X-Actor-Id', 'header:X-Actor-Role', 'header:Idempotency-Key', 'header:If-Match', 'header:X-Request-Id', 'header:X-Correlation-Id']);
  });

  it('documents its success body as the response class, with the status it answers, and every problem a command can meet', () => {
    const responses = Reflect.getMetadata(API_RESPONSES, handler) as Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
    expect(responses['201'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ThingSchema');
    expect(responses['200']).toBeUndefined();
    for (const status of ['400', '401', '403', '404', '409', '412', '422', '503']) {
      expect(responses[status].content?.['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemSchema');
    }
  });
});
