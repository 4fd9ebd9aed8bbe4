import type { Container } from '../container.js';
import { CalendarService } from './calendar/service.js';
import { parseTranscriptFile } from './transcripts/detect.js';
import { defaultImportTitle, importedSegments } from './conversations/imports.js';

// What the admin CLI can do. The same functions run in the CLI process (database opened directly)
// and inside a running server (through its local admin interface), so both paths behave alike.
export interface AdminOps {
  createUser(input: { email: string; name: string; tier: string; timezone?: string }): Promise<{ id: string; email: string; name: string; tier: string; timezone: string }>;
  createKey(input: { email: string; name?: string }): Promise<{ key: string; id: string; prefix: string; userId: string }>;
  revokeKey(input: { id: string }): Promise<{ id: string; revoked: true }>;
  importFile(input: { email: string; filename: string; data: Buffer; title?: string; startTime?: string }): Promise<{ id: string; title: string; segmentCount: number }>;
  calendarSet(input: { email: string; ics: string }): Promise<{ userId: string; type: 'ics'; url: string }>;
}

export function adminOps(c: Container): AdminOps {
  return {
    async createUser(input) {
      const u = await c.accounts.createUser(input);
      return { id: u.id, email: u.email, name: u.name, tier: u.tier, timezone: u.timezone };
    },
    async createKey(input) {
      const user = await c.accounts.requireUserByEmail(input.email);
      const k = await c.accounts.createKey(user.id, input.name);
      return { key: k.key, id: k.id, prefix: k.prefix, userId: user.id };
    },
    async revokeKey(input) {
      const row = await c.accounts.revokeKey(input.id);
      return { id: row.id, revoked: true as const };
    },
    async importFile(input) {
      const user = await c.accounts.requireUserByEmail(input.email);
      const parsed = parseTranscriptFile({ filename: input.filename, data: input.data });
      const { start, end, segments } = importedSegments(parsed, input.startTime);
      const { conversation } = await c.conversations.create(user.id, {
        title: input.title ?? defaultImportTitle(parsed, input.filename),
        kind: 'meeting',
        startTime: start.toISOString(),
        endTime: end && end >= start ? end.toISOString() : undefined,
        segments,
        metadata: { source: { type: 'import', format: parsed.format, filename: input.filename } },
      });
      return { id: conversation.id, title: conversation.title, segmentCount: conversation.segmentCount };
    },
    async calendarSet(input) {
      const user = await c.accounts.requireUserByEmail(input.email);
      const calendar = new CalendarService({ db: c.db, config: c.config.calendar, clock: c.clock, secrets: c.secrets, feeds: c.calendarFeeds });
      const source = await calendar.setSource(user.id, { type: 'ics', url: input.ics });
      return { userId: user.id, type: 'ics' as const, url: source.url ?? input.ics };
    },
  };
}
