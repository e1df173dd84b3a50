import { Module } from '@nestjs/common';
import { NotaryService } from './notary/notary.service';
import { NotaryController } from './notary.controller';
import { NOTARY_QUERY_HANDLERS } from './notary.queries';

/** The notary (its processor runs where the processors run), its routes, and its answer to readiness. */
@Module({
  controllers: [NotaryController],
  providers: [NotaryService, ...NOTARY_QUERY_HANDLERS],
  exports: [NotaryService],
})
export class NotaryModule {}
