import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the routes the application serves, from their controllers and DTOs. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Escrow and contract ledger')
      .setDescription(
        'Command and query API of the escrow and contract ledger. Commands name their actor with X-Actor-Id and ' +
          'X-Actor-Role, take an Idempotency-Key and an optional If-Match, and answer errors as application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}
