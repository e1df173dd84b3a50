import { Module } from '@nestjs/common';
import { PaymentReferences } from '../payments/payment-references';
import { ExecuteTaskCommandHandler, GetTaskQueryHandler } from './task-commands';
import { TasksController } from './tasks.controller';

/** Tasks (タスク形式): their routes and their command and query handlers. */
@Module({
  controllers: [TasksController],
  providers: [ExecuteTaskCommandHandler, GetTaskQueryHandler, PaymentReferences],
})
export class TasksModule {}
