import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
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
