import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ID_PATTERN, ID_PATTERN_DESCRIPTION, MAX_ID_LENGTH } from '@escrow/domain/shared/limits';
import { OPEN_SCHEMAS } from './openapi/problem-schema';

/** The OpenAPI document of the routes the application serves, from their controllers, DTOs and response classes. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Escrow and contract ledger')
      .setDescription(
        'Command and query API of the escrow and contract ledger. Commands name their actor with X-Actor-Id and ' +
          'X-Actor-Role, take an Idempotency-Key and an optional If-Match, and answer errors as application/problem+json.',
      )
      .setVersion('1')
      .addServer('/', 'This service, wherever it is deployed')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  document.info.license = { name: 'Proprietary' };
  closeSchemas(document);
  documentIdParameters(document);
  return document;
}

/**
 * Requests with a field the DTO does not declare are refused, and responses carry only the fields their class
 * declares: every schema says so (`additionalProperties: false`), but for the few that carry extension members.
 */
function closeSchemas(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if ('$ref' in schema || OPEN_SCHEMAS.includes(name) || schema.additionalProperties !== undefined) continue;
    if (schema.type === 'object' || schema.properties !== undefined) schema.additionalProperties = false;
  }
}

/**
 * Path parameters name the things the service keeps (contracts, milestones, accounts, withdrawals, ...), and every
 * id has one form: a path parameter a route does not document otherwise (a ledger account, a parked event) is one.
 */
function documentIdParameters(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      for (const parameter of operation?.parameters ?? []) {
        if ('$ref' in parameter || parameter.in !== 'path') continue;
        const schema = parameter.schema;
        if (schema && !('$ref' in schema) && schema.type === 'string' && schema.pattern === undefined) {
          parameter.schema = { type: 'string', pattern: ID_PATTERN.source, maxLength: MAX_ID_LENGTH };
          parameter.description ??= `An id: ${ID_PATTERN_DESCRIPTION}`;
        }
      }
    }
  }
}
