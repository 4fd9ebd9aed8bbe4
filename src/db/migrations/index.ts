import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-webhooks.js';
import * as m0003 from './0003-calendar.js';
import * as m0004 from './0004-rate-batches.js';
import * as m0005 from './0005-webhook-circuit.js';
import * as m0006 from './0006-conversation-time-zone.js';
import * as m0007 from './0007-conversation-counts.js';
import * as m0008 from './0008-conversation-search.js';
import * as m0009 from './0009-action-items.js';
import * as m0010 from './0010-analysis-stale.js';
import * as m0011 from './0011-dashboard-sessions.js';
import * as m0012 from './0012-auto-analyse.js';
import * as m0013 from './0013-conversation-days.js';

// Migrations are listed here (not read from disk) so that they work the same from source and from dist.
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-webhooks': m0002,
  '0003-calendar': m0003,
  '0004-rate-batches': m0004,
  '0005-webhook-circuit': m0005,
  '0006-conversation-time-zone': m0006,
  '0007-conversation-counts': m0007,
  '0008-conversation-search': m0008,
  '0009-action-items': m0009,
  '0010-analysis-stale': m0010,
  '0011-dashboard-sessions': m0011,
  '0012-auto-analyse': m0012,
  '0013-conversation-days': m0013,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

export const latestMigration = Object.keys(migrations).sort().at(-1)!;
