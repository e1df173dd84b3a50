import { Module } from '@nestjs/common';
import { loadEventFeedConfig } from './event-feed-config';
import { EventFeedController } from './event-feed.controller';
import { EVENT_FEED_CONFIG, EventFeed } from './event-feed.service';

/** `GET /v1/events/stream`: the global log as Server-Sent Events, read through the store's catch-up subscription. */
@Module({
  controllers: [EventFeedController],
  providers: [{ provide: EVENT_FEED_CONFIG, useFactory: () => loadEventFeedConfig(process.env) }, EventFeed],
  exports: [EventFeed],
})
export class EventFeedModule {}
