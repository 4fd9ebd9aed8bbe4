import { z } from 'zod';
import { calendarSourceInput, type CalendarService } from '../../../domain/calendar/service.js';
import type { App } from '../../types.js';
import { principalOf } from '../../types.js';
import { commonErrors } from '../../schemas.js';
import { calendarSourceSchema } from './schemas.js';

export function registerCalendarSource(app: App, calendar: CalendarService) {
  app.get(
    '/calendar/source',
    {
      schema: {
        tags: ['Calendar'],
        summary: 'Get the connected calendar source',
        description: 'The type and address of the connected calendar; secrets (refresh token, client secret) are never returned. 404 when none is connected.',
        response: { 200: z.object({ data: calendarSourceSchema }), ...commonErrors },
      },
    },
    async (request) => ({ data: await calendar.getSource(principalOf(request).userId) }),
  );

  app.put(
    '/calendar/source',
    {
      schema: {
        tags: ['Calendar'],
        summary: 'Connect a calendar',
        description:
          'Either an iCalendar feed, `{"type":"ics","url":"https://…"}` (a webcal:// link works, and so does Google\'s "secret address in iCal format"), ' +
          'or Google Calendar, `{"type":"google","refreshToken","clientId","clientSecret","calendarId?"}` (calendarId defaults to primary). ' +
          'Replaces any calendar connected before. Feed URLs must be public https addresses.',
        body: calendarSourceInput,
        response: { 200: z.object({ data: calendarSourceSchema }), ...commonErrors },
      },
    },
    async (request) => ({ data: await calendar.setSource(principalOf(request).userId, request.body) }),
  );

  app.delete(
    '/calendar/source',
    {
      schema: {
        tags: ['Calendar'],
        summary: 'Disconnect the calendar',
        description: 'Forgets the source and its credentials. Succeeds when none is connected too.',
        response: { 200: z.object({ data: z.object({ deleted: z.literal(true) }) }), ...commonErrors },
      },
    },
    async (request) => ({ data: await calendar.deleteSource(principalOf(request).userId) }),
  );
}
