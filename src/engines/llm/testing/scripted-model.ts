// A scripted "model" for the fake server: it recognises which analysis step a request is from the
// JSON schema it asks for, and answers with valid JSON that quotes the lines it was shown.
import type { RecordedRequest } from './fake-llm-server.js';
import { transcriptOf } from './fake-llm-server.js';

export type Step =
  | 'keypoints.map' | 'keypoints.reduce' | 'insights.map' | 'insights.reduce' | 'query' | 'query.map' | 'query.reduce'
  | 'email' | 'feedback' | 'feedback.map' | 'feedback.reduce' | 'unknown';

const BY_KEYS: Record<string, Step> = {
  'actionItems,decisions,importantDates,participants,sections,title': 'keypoints.map',
  'decisions,sections,title': 'keypoints.reduce',
  'issues,sentiment,sentimentScore,summary,taskCompleted,taskSignals,topics': 'insights.map',
  'summary,topics': 'insights.reduce',
  'evidence,intent,response,suggestedQueries': 'query',
  'evidence,findings,relevant': 'query.map',
  'intent,response,suggestedQueries': 'query.reduce',
  'actionItems,body,keyPoints,subject': 'email',
  'observations': 'feedback.map',
};

export function stepOf(req: RecordedRequest): Step {
  const schema = req.schema as { properties?: Record<string, any> } | null;
  const keys = Object.keys(schema?.properties ?? {}).sort().join(',');
  if (keys === 'actionPlan,growthAreas,strengths,topPriority') {
    return schema?.properties?.topPriority?.properties?.sources ? 'feedback.reduce' : 'feedback';
  }
  return BY_KEYS[keys] ?? 'unknown';
}

const firstWords = (text: string, n: number) => text.split(/\s+/).slice(0, n).join(' ');

function ids(req: RecordedRequest, prefix: string): string[] {
  return [...(req.user[0] ?? '').matchAll(new RegExp(`^\\s*(${prefix}\\d+)[: ]`, 'gm'))].map((m) => m[1]);
}

/** A plausible, schema-valid answer for any step, citing the first line the request showed. */
export function answer(req: RecordedRequest): unknown {
  const lines = transcriptOf(req);
  const first = lines[0] ?? { index: 0, text: 'nothing' };
  const ev = [{ segmentIndex: first.index, quote: firstWords(first.text, 6) }];
  // Coaching quotes the coached person's own line.
  const person = /^Person to (?:coach|observe): (.*)$/m.exec(req.user[0] ?? '')?.[1];
  const theirs = lines.find((l) => l.speaker === person);
  const own = theirs ? [{ segmentIndex: theirs.index, quote: firstWords(theirs.text, 6) }] : [];
  switch (stepOf(req)) {
    case 'keypoints.map':
      return {
        title: `Planning from line ${first.index}`,
        sections: [{ heading: `Lines ${first.index} onwards`, points: [{ text: `Discussion starting at line ${first.index}.`, evidence: ev }] }],
        decisions: [{ text: `Decision at line ${first.index}`, evidence: ev }],
        actionItems: [{ item: 'Send the budget report', owner: 'Bob Ortiz', confidence: 0.9, priority: 'high', dueDate: '2025-03-07', evidence: ev }],
        participants: ['Alice Chen', 'Bob Ortiz'],
        importantDates: [{ date: '2025-03-07', context: 'Report due', evidence: ev }],
      };
    case 'keypoints.reduce':
      return {
        title: 'Weekly planning, merged',
        sections: [{ heading: 'Everything', points: ids(req, 'p').map((id) => ({ text: `Merged ${id}`, sources: [id] })) }],
        decisions: ids(req, 'd').slice(0, 1).map((id) => ({ text: 'The merged decision', sources: ids(req, 'd') })),
      };
    case 'insights.map':
      return { sentiment: 'positive', sentimentScore: 0.6, taskCompleted: true, taskSignals: ['report promised'], topics: ['budget'], summary: `Part from line ${first.index}.`, issues: [] };
    case 'insights.reduce':
      return { summary: 'The whole meeting, merged.', topics: ['budget', 'hiring plan'] };
    case 'query':
      return { response: `Answered from line ${first.index}.`, intent: 'specific', evidence: ev, suggestedQueries: ['Who owns the report?'] };
    case 'query.map':
      return { relevant: true, findings: `Notes from line ${first.index}.`, evidence: ev };
    case 'query.reduce':
      return { response: 'Merged answer.', intent: 'summary', suggestedQueries: ['What was decided?'] };
    case 'email':
      return { subject: 'Follow-up: weekly planning', body: 'Hi all,\n\nThanks for the meeting.\n\nBest regards,', keyPoints: ['Budget reviewed'], actionItems: ['Bob Ortiz: send the budget report (due 2025-03-07)'] };
    case 'feedback':
      return {
        strengths: [{ category: 'clarity', description: 'Clear framing.', evidence: own }],
        growthAreas: [{ category: 'listening', description: 'Ask more.', suggestion: 'Pause for questions.', evidence: [...ev, ...own] }],
        topPriority: { focus: 'Invite input', reason: 'Others spoke less.', alternative: 'What do you all think?', evidence: own },
        actionPlan: ['Ask one open question per topic.'],
      };
    case 'feedback.map':
      return { observations: [{ kind: 'strength', category: 'clarity', note: `Clear at line ${theirs?.index ?? first.index}.`, evidence: own }] };
    case 'feedback.reduce': {
      const all = ids(req, 'o');
      return {
        strengths: [{ category: 'clarity', description: 'Clear framing throughout.', sources: all.slice(0, 2) }],
        growthAreas: [{ category: 'listening', description: 'Ask more.', suggestion: 'Pause for questions.', sources: all.slice(-1) }],
        topPriority: { focus: 'Invite input', reason: 'Others spoke less.', alternative: 'What do you all think?', sources: all.slice(0, 1) },
        actionPlan: ['Ask one open question per topic.'],
      };
    }
    default:
      return {};
  }
}
