// Settings: usage, time zone, API keys, webhooks, calendar source and upcoming events.
import { useState } from 'react';
import { ApiKeysSection } from '../components/ApiKeysSection';
import { AnalysisSettingsSection } from '../components/AutoAnalyseSetting';
import { CalendarSection } from '../components/CalendarSection';
import { TimeZoneSection } from '../components/TimeZoneSection';
import { UpcomingEvents } from '../components/UpcomingEvents';
import { UsageSection } from '../components/UsageSection';
import { WebhooksSection } from '../components/WebhooksSection';

export function SettingsPage() {
  const [calendarVersion, setCalendarVersion] = useState(0);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <nav className="jump-nav" aria-label="Settings sections">
        <a href="#usage">Usage</a>
        <a href="#analysis">Analysis</a>
        <a href="#timezone">Time zone</a>
        <a href="#keys">API keys</a>
        <a href="#webhooks">Webhooks</a>
        <a href="#calendar">Calendar</a>
        <a href="#events">Upcoming events</a>
      </nav>
      <div className="settings-grid">
        <UsageSection />
        <AnalysisSettingsSection />
        <TimeZoneSection />
        <ApiKeysSection />
        <WebhooksSection />
        <CalendarSection onChanged={() => setCalendarVersion((v) => v + 1)} />
        <UpcomingEvents version={calendarVersion} />
      </div>
    </div>
  );
}
