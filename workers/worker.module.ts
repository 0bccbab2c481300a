import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Reconciler } from './reconciler.js';
import { WorkerHost } from './worker-host.js';

/** Job processors and the reconciler; needs the global providers of AppModule. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [WorkerHost, Reconciler],
  exports: [Reconciler],
})
export class WorkerModule {}
