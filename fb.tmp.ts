import { createLocalEngine } from './src/engines/local/engine.js';
import { coachingTranscript } from './src/engines/local/fixtures/conversations.js';
const e = createLocalEngine();
for (const timed of [true, false]) {
const r = await e.feedback(coachingTranscript(timed), { userSpeakerName: 'dana' });
const { talkTimeline, speakers, ...m } = r.metrics;
console.log(JSON.stringify({ ...r, metrics: m }, null, 1));
}
