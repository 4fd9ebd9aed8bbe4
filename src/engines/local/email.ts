// Follow-up email drafts a person would send as they are: written to the recipient, in the third
// person, with the recipient's own tasks first, every action item (owner, due date), every dated
// next step and only the decisions that were made. The three tones differ in greeting, sentence
// style and length: professional is complete sentences, casual is warm and brief, concise is bullets.
import type { ActionItem, EmailDraft, EmailTone, Keypoints } from '../schemas.js';
import { isGenericSpeaker } from './participants.js';
import { actionClause, confirmationsSentence, decisionClause, listJoin, readableDate, saysWhen } from './phrasing.js';
import { inGroupVoice } from './rewrite.js';
import { dateContext } from './structured-answers.js';
import { capitalise, truncateWords } from './text.js';
import type { Transcript } from './transcript.js';

/** A line closed with a full stop unless it already ends a sentence ("…", "?"). */
const ended = (x: string) => (/[.!?…]$/.test(x.trim()) ? x : `${x}.`);

export interface EmailContext {
  t: Transcript;
  keypoints: Keypoints;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function meetingDay(t: Transcript): { label: string; iso: string } | null {
  const ms = t.conv.startTime ? Date.parse(t.conv.startTime) : NaN;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return { label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`, iso: d.toISOString().slice(0, 10) };
}

/** Points that read as notes: no one's first person, no "you" meant for someone in the room, not cut off. */
const QUOTED_VOICE = /\b(?:I|I'm|I've|I'll|I'd|me|my|mine|we|we're|we've|we'll|us|our|you|your|you're|you'll)\b/i;

function keyPointList(kp: Keypoints, max: number, words: number): string[] {
  // A point that tells a decision is said once, under the decisions.
  const decided = new Set(kp.decisionDetails.flatMap((d) => d.evidence.map((e) => `${e.segmentIndex}|${e.quote}`)));
  const told = (p: Keypoints['sections'][number]['pointDetails'][number]) => p.evidence.some((e) => decided.has(`${e.segmentIndex}|${e.quote}`));
  const bySection = kp.sections.map((s) => s.pointDetails.filter((p) => !QUOTED_VOICE.test(p.text) && !told(p)).map((p) => p.text));
  const ordered = [...bySection.map((p) => p[0]), ...bySection.map((p) => p[1]), ...bySection.map((p) => p[2])].filter((p): p is string => !!p);
  const whole = ordered.filter((p) => !p.endsWith('…'));
  return [...whole, ...ordered.filter((p) => p.endsWith('…'))].slice(0, max).map((p) => truncateWords(p.replace(/[.]$/, ''), words));
}

/** Whether an owner label means the recipient ("Bob" for "Bob Lee", case-insensitive). */
function isRecipient(owner: string | null, recipient: string | undefined): boolean {
  if (!owner || !recipient) return false;
  const o = owner.toLowerCase().trim();
  const r = recipient.toLowerCase().trim();
  return o === r || o.split(/\s+/)[0] === r.split(/\s+/)[0];
}

/** The structured list the draft returns: "Owner: Task (due YYYY-MM-DD)", the recipient's tasks first. */
function actionStrings(items: ActionItem[]): string[] {
  return items.map((a) => {
    const item = a.item.replace(/[.]$/, '');
    const due = a.dueDate ? ` (due ${a.dueDate})` : '';
    return a.owner ? `${a.owner}: ${item}${due}` : `${item}${due}`;
  });
}

/** "Send the roadmap by Friday (March 20)": the recipient's own task, addressed to them. */
function ownTask(a: ActionItem, recipient: string): string {
  return capitalise(actionClause(a, { you: a.owner ?? recipient }).replace(/^you(?: will |: )/, ''));
}

export function draftEmail(ctx: EmailContext, opts: { recipientName?: string; tone: EmailTone }): EmailDraft {
  const { t, keypoints: kp } = ctx;
  const tone = opts.tone;
  const noun = t.conv.kind === 'chat' ? 'conversation' : 'meeting';
  const title = kp.title;
  const day = meetingDay(t);
  const recipient = opts.recipientName?.trim() || undefined;

  const mine = kp.actionItems.filter((a) => isRecipient(a.owner, recipient));
  const theirs = kp.actionItems.filter((a) => !isRecipient(a.owner, recipient));
  const actionItems = actionStrings([...mine, ...theirs]);
  const ownLines = recipient ? mine.map((a) => ownTask(a, recipient)) : [];
  const otherLines = theirs.map((a) => capitalise(actionClause(a, { unowned: 'Someone (no owner named yet)' })));
  const chat = t.conv.kind === 'chat';
  const decisionLines = kp.decisionDetails.map((d) => {
    if (chat) return confirmationsSentence([d.text]).replace(/\.$/, '');
    const clause = decisionClause(d.text);
    return clause.startsWith('that ') ? `The team agreed ${clause}` : `The team decided ${clause}`;
  });
  // Dated next steps that are not already a task's due date, from the meeting day on.
  // (A task that does not say when in its own words, "keep that date free", leaves the date listed.)
  const taskDays = new Set(kp.actionItems.flatMap((a) => (a.dueDate && saysWhen(a.item) ? a.evidence.map((e) => `${a.dueDate}@${e.segmentIndex}`) : [])));
  const dateLines = kp.importantDates
    .filter((d) => (!day || d.date >= day.iso) && !d.evidence.some((e) => taskDays.has(`${d.date}@${e.segmentIndex}`)))
    .map((d) => `${readableDate(d.date)}: ${dateContext(t, d)}`);
  const others = t.speakers.filter((s) => !isGenericSpeaker(s) && !isRecipient(s, recipient));

  if (tone === 'concise') {
    const keyPoints = keyPointList(kp, 3, 12);
    const lines = [`${recipient ?? 'Hi'} —`, ''];
    if (ownLines.length) lines.push('Yours:', ...ownLines.map((a) => `• ${a}`), '');
    lines.push(`Recap of ${title}${day ? ` (${day.label})` : ''}:`, ...keyPoints.map((p) => `• ${p}`));
    if (decisionLines.length) lines.push('', 'Decided:', ...kp.decisionDetails.map((d) => `• ${capitalise(inGroupVoice(d.text.replace(/[.]$/, '')))}`));
    if (otherLines.length) lines.push('', 'Next steps:', ...otherLines.map((a) => `• ${a}`));
    if (dateLines.length) lines.push('', 'Dates:', ...dateLines.map((d) => `• ${d}`));
    lines.push('', 'Thanks');
    return { subject: `Recap: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
  }

  if (tone === 'casual') {
    const keyPoints = keyPointList(kp, 4, 30);
    const lines = [`Hey ${recipient ?? 'there'}!`, '', `Thanks for the ${noun}${day ? ` on ${day.label}` : ''}.`];
    if (ownLines.length) lines.push('', 'On your plate:', ...ownLines.map((a) => `- ${a}`));
    lines.push('', "Here's a quick recap:", ...keyPoints.map((p) => `- ${p}`));
    if (decisionLines.length) lines.push('', ...decisionLines.map((d) => `${ended(d)}`));
    if (otherLines.length) lines.push('', "Who's doing what:", ...otherLines.map((a) => `- ${a}`));
    if (dateLines.length) lines.push('', 'Dates to remember:', ...dateLines.map((d) => `- ${d}`));
    lines.push('', 'Shout if anything is missing!', '', 'Cheers');
    return { subject: `Quick recap: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
  }

  const keyPoints = keyPointList(kp, 5, 40);
  const lines = [`Dear ${recipient ?? 'all'},`, ''];
  const withWhom = others.length ? ` with ${listJoin(others.slice(0, 4))}` : '';
  lines.push(`Thank you for your time in ${day ? `the ${noun} on ${day.label}` : `today's ${noun}`}${withWhom}. Below is a summary of ${title}.`);
  if (ownLines.length) lines.push('', `Your action items:`, ...ownLines.map((a) => `- ${ended(a)}`));
  const opening = kp.summary?.split(/(?<=[.!?])\s+/)[0];
  if (opening) lines.push('', opening);
  lines.push('', 'Key points:', ...keyPoints.map((p) => `- ${ended(p)}`));
  if (decisionLines.length) lines.push('', 'Decisions:', ...decisionLines.map((d) => `- ${ended(d)}`));
  if (otherLines.length) lines.push('', ownLines.length ? 'Other action items:' : 'Action items:', ...otherLines.map((a) => `- ${ended(a)}`));
  if (dateLines.length) lines.push('', 'Upcoming dates:', ...dateLines.map((d) => `- ${ended(d)}`));
  lines.push('', 'Please let me know if anything is missing or needs correcting.', '', 'Kind regards');
  return { subject: `Follow-up: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
}
