import { z } from 'zod';

export const calendarEventSchema = z.object({
  id: z.string(),
  title: z.string(),
  start: z.string().describe('ISO 8601 instant; YYYY-MM-DD for all-day events'),
  end: z.string().describe('Exclusive end, in the same form as start'),
  timeZone: z.string(),
  allDay: z.boolean(),
  attendees: z.array(z.object({ name: z.string().nullable(), email: z.string().nullable() })),
  location: z.string().nullable(),
  meetingLink: z.string().nullable(),
  description: z.string().optional(),
});

export const calendarSourceSchema = z.object({
  type: z.enum(['ics', 'google']),
  url: z.string().optional(),
  calendarId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
