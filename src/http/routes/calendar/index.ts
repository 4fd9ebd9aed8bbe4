import type { App } from '../../types.js';
import { registerCalendarEvents } from './events.js';
import { registerCalendarSource } from './source.js';
import { calendarService } from './service.js';

export function registerCalendarRoutes(app: App) {
  // One service per server, so its short feed cache is shared by every request.
  const calendar = calendarService(app);
  registerCalendarEvents(app, calendar);
  registerCalendarSource(app, calendar);
}
