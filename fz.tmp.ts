import { createLocalEngine } from './src/engines/local/engine.js';
import { keypointsSchema, queryResultSchema, emailDraftSchema, insightsSchema, feedbackResultSchema } from './src/engines/schemas.js';
const e = createLocalEngine();
const mk = (texts: string[], kind: 'meeting' | 'chat' = 'meeting') => ({ id: 'z', title: null, kind, startTime: null, segments: texts.map((text, index) => ({ index, text, speaker: ['A', 'B', 'C'][index % 3], timestamp: null, role: kind === 'chat' ? (index % 2 ? 'assistant' : 'user') as any : undefined })) });
const cases: Record<string, any> = {
  empty: mk([]),
  blanks: mk(['', '   ', '\n\n']),
  one: mk(['Hello.']),
  emoji: mk(['🙂🙂 ¿Qué tal? 日本語のテキスト', '—', '...', '?!']),
  asr: mk(Array.from({ length: 30 }, (_, i) => `so i think we should maybe uh look at the numbers again and then decide what to do with the budget item ${i} okay`)),
  huge: mk(['word '.repeat(20000) + 'end.', 'Short reply.']),
  longSentence: mk([('This is a clause, ').repeat(2000), 'ok']),
  chat: mk(Array.from({ length: 500 }, (_, i) => i % 2 ? 'Sure, I can help with that booking.' : 'I need a hotel for tonight please'), 'chat'),
  weird: mk(['Mr. Dr. Prof. (A) [B] {C} <D> "E" \'F\'', 'I\'ll I\'ll I\'ll', 'Bob, can you?', 'We decided.', 'Let\'s go with.', 'by Friday by Friday by Friday']),
};
for (const [name, c] of Object.entries(cases)) {
  try {
    const t0 = performance.now();
    keypointsSchema.parse(await e.keypoints(c));
    queryResultSchema.parse(await e.query(c, 'Summarize the meeting'));
    queryResultSchema.parse(await e.query(c, 'What about the budget?'));
    emailDraftSchema.parse(await e.email(c, { tone: 'concise' }));
    insightsSchema.parse(await e.insights(c));
    if (c.segments.length >= 10) feedbackResultSchema.parse(await e.feedback(c, {}));
    console.log(name, 'ok', (performance.now() - t0).toFixed(0), 'ms');
  } catch (err: any) { console.log(name, 'FAIL', err.stack?.split('\n').slice(0, 4).join(' | ')); }
}
