// Follow-up email drafts. The three tones differ in greeting, sentence style and length, not
// just in the sign-off: professional is complete sentences, casual is warm and brief, concise is
// bullets only.
import type { EmailDraft, EmailTone, Keypoints } from '../schemas.js';
import { isGenericSpeaker } from './participants.js';
import { truncateWords } from './text.js';
import type { Transcript } from './transcript.js';

export interface EmailContext {
  t: Transcript;
  keypoints: Keypoints;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function meetingDate(t: Transcript): string | null {
  const ms = t.conv.startTime ? Date.parse(t.conv.startTime) : NaN;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function keyPointList(ctx: EmailContext, max: number, words: number): string[] {
  const firsts = ctx.keypoints.sections.map((s) => s.points[0]).filter(Boolean);
  const seconds = ctx.keypoints.sections.map((s) => s.points[1]).filter(Boolean);
  return [...firsts, ...seconds].slice(0, max).map((p) => truncateWords(p.replace(/[.]$/, ''), words));
}

function actionList(kp: Keypoints, max: number, words: number): string[] {
  return kp.actionItems.slice(0, max).map((a) => {
    const item = truncateWords(a.item.replace(/[.]$/, ''), words);
    const due = a.dueDate ? ` (due ${a.dueDate})` : '';
    return a.owner ? `${a.owner}: ${item}${due}` : `${item}${due}`;
  });
}

export function draftEmail(ctx: EmailContext, opts: { recipientName?: string; tone: EmailTone }): EmailDraft {
  const { t, keypoints: kp } = ctx;
  const tone = opts.tone;
  const noun = t.conv.kind === 'chat' ? 'conversation' : 'meeting';
  const title = kp.title;
  const when = meetingDate(t);
  const recipient = opts.recipientName?.trim();
  const decisions = kp.decisions.slice(0, tone === 'concise' ? 2 : 4).map((d) => truncateWords(d.replace(/[.]$/, ''), tone === 'concise' ? 10 : 20));
  const others = t.speakers.filter((s) => !isGenericSpeaker(s) && s !== recipient);

  if (tone === 'concise') {
    const keyPoints = keyPointList(ctx, 3, 12);
    const actionItems = actionList(kp, 5, 10);
    const lines = [`${recipient ?? 'Hi'} —`, '', `Recap of ${title}${when ? ` (${when})` : ''}:`, ...keyPoints.map((p) => `• ${p}`)];
    if (decisions.length) lines.push('', 'Decided:', ...decisions.map((d) => `• ${d}`));
    if (actionItems.length) lines.push('', 'Next steps:', ...actionItems.map((a) => `• ${a}`));
    lines.push('', 'Thanks');
    return { subject: `Recap: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
  }

  if (tone === 'casual') {
    const keyPoints = keyPointList(ctx, 4, 18);
    const actionItems = actionList(kp, 6, 14);
    const lines = [`Hey ${recipient ?? 'there'}!`, '', `Thanks for the ${noun}${when ? ` on ${when}` : ''}. Here's a quick recap of what we talked about:`, ''];
    lines.push(...keyPoints.map((p) => `- ${p}`));
    if (decisions.length) lines.push('', `We landed on: ${decisions.join('; ')}.`);
    if (actionItems.length) lines.push('', "Who's doing what:", ...actionItems.map((a) => `- ${a}`));
    lines.push('', 'Shout if I missed anything!', '', 'Cheers');
    return { subject: `Quick recap: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
  }

  const keyPoints = keyPointList(ctx, 5, 28);
  const actionItems = actionList(kp, 8, 20);
  const lines = [`Dear ${recipient ?? 'all'},`, ''];
  lines.push(
    `Thank you for your time in ${when ? `the ${noun} on ${when}` : `today's ${noun}`}${others.length ? ` with ${others.slice(0, 4).join(', ')}` : ''}. Please find below a summary of the main points of ${title}.`,
    '',
    'Key points:',
    ...keyPoints.map((p) => `- ${p}.`),
  );
  if (decisions.length) lines.push('', 'Decisions:', ...decisions.map((d) => `- ${d}.`));
  if (actionItems.length) lines.push('', 'Action items:', ...actionItems.map((a) => `- ${a}`));
  lines.push('', 'Please let me know if anything is missing or needs correcting.', '', 'Kind regards');
  return { subject: `Follow-up: ${title}`, body: lines.join('\n'), keyPoints, actionItems };
}
