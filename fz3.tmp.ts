import { prepareTranscript } from './src/engines/local/transcript.js';
import { analyseSections, ownerNames } from './src/engines/local/keypoints.js';
import { mentionedPeople } from './src/engines/local/participants.js';
import { extractDecisions } from './src/engines/local/decisions.js';
import { extractActionItems } from './src/engines/local/actions.js';
import { extractImportantDates } from './src/engines/local/dates.js';
const mk = (texts: string[]) => ({ id: 'z', title: null, kind: 'meeting' as const, startTime: null, segments: texts.map((text, index) => ({ index, text, speaker: ['A', 'B', 'C'][index % 3], timestamp: null })) });
const c = mk(Array.from({ length: 30 }, (_, i) => `so i think we should maybe uh look at the numbers again and then decide what to do with the budget item ${i} okay`));
prepareTranscript(mk(['warm up.']));
for (let r = 0; r < 2; r++) {
const T = (l: string, f: () => any) => { const a = performance.now(); const v = f(); console.log(l, (performance.now() - a).toFixed(1)); return v; };
const t = T('prep', () => prepareTranscript(c));
T('sections', () => analyseSections(t));
const m = T('people', () => mentionedPeople(t));
T('decisions', () => extractDecisions(t));
T('actions', () => extractActionItems(t, ownerNames(t, m)));
T('dates', () => extractImportantDates(t));
}
