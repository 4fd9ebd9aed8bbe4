import { CalendarService } from '../../../domain/calendar/service.js';
import type { App } from '../../types.js';

export function calendarService(app: App): CalendarService {
  const c = app.container;
  return new CalendarService({ db: c.db, config: c.config.calendar, clock: c.clock, secrets: c.secrets, feeds: c.calendarFeeds });
}
