import { z } from 'zod';
import type { CalendarService } from '../../../domain/calendar/service.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors, errorSchema, isoDate } from '../../schemas.js';
import { calendarEventSchema } from './schemas.js';

const query = z
  .object({
    maxResults: z.coerce
      .number({ error: 'Must be an integer from 1 to 50' })
      .int('Must be an integer from 1 to 50')
      .min(1, 'Must be an integer from 1 to 50')
      .max(50, 'Must be an integer from 1 to 50')
      .default(10),
    timeMin: isoDate.optional(),
  })
  .strict();

export function registerCalendarEvents(app: App, calendar: CalendarService) {
  app.get(
    '/calendar/events',
    {
      schema: {
        tags: ['Calendar'],
        summary: 'List upcoming calendar events',
        description:
          "Upcoming events of the caller's connected calendar (an iCalendar feed or Google Calendar), sorted by start. " +
          'Recurring events are expanded into their instances. Events in progress at `timeMin` are included. ' +
          'Without a connected calendar: 400 `validation_error` saying how to connect one.',
        querystring: query,
        response: { 200: z.object({ data: z.array(calendarEventSchema) }), ...commonErrors, 502: errorSchema },
      },
    },
    async (request) => {
      const { maxResults, timeMin } = request.query;
      return { data: await calendar.listEvents(principalOf(request).userId, { maxResults, timeMin: timeMin ? new Date(timeMin) : undefined }) };
    },
  );
}
