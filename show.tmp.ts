import { createLocalEngine } from '/work/main/src/engines/local/engine.js';
import { planningMeeting } from '/work/main/src/engines/local/fixtures/planning-meeting.js';
const e = createLocalEngine();
const c = planningMeeting();
const op = process.argv[2] ?? 'keypoints';
const r = op === 'keypoints' ? await e.keypoints(c) : op === 'feedback' ? await e.feedback(c, { userSpeakerName: process.argv[3] }) : op === 'query' ? await e.query(c, process.argv[3]) : op === 'email' ? await e.email(c, { recipientName: 'Dana', tone: process.argv[3] as any }) : await e.insights(c);
console.log(JSON.stringify(r, null, 1));
