import { readFileSync } from 'node:fs';
import { parseFeed, upcomingEvents } from './src/integrations/calendar/ics.js';
const feed = await parseFeed(readFileSync('test/fixtures/calendar/google-work.ics', 'utf8'), 'UTC');
const evs = upcomingEvents(feed, { timeMin: new Date(process.argv[2] ?? '2026-03-02T12:00:00Z'), maxResults: 50 });
for (const e of evs) console.log(e.start, e.end, e.timeZone, e.allDay, e.id, '|', e.title, '|', e.meetingLink, JSON.stringify(e.attendees), e.location);
