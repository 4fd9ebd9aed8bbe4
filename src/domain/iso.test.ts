import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calendarDay } from './iso.js';

test('calendarDay keeps real, storable days and refuses the rest', () => {
  assert.equal(calendarDay('2026-03-13'), '2026-03-13');
  assert.equal(calendarDay('2024-02-29'), '2024-02-29');
  for (const bad of ['2026-02-30', '2025-02-29', '0000-01-01', '2026-3-13', '2026-03-13T00:00:00Z', 'Friday', '', null, undefined]) {
    assert.equal(calendarDay(bad), null, String(bad));
  }
});
