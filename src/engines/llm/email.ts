// The e-mail draft. A transcript that fits is written from directly; a longer one is read part by
// part (the key-point map and merge) and the e-mail is written from those notes, so the end of a
// long meeting, where the commitments usually are, is never cut off.
import { emailDraftSchema, type EmailDraft, type EmailTone } from '../schemas.js';
import type { EngineConversation } from '../types.js';
import { callStructured } from './call.js';
import { budgetFor, type LlmContext } from './context.js';
import { finalize } from './finalize.js';
import { mapKeypoints, mergeActionItems, mergeOutlines } from './keypoints.js';
import { emailFromNotesPrompt, emailFromTranscriptPrompt, emailModelSchema, emailSystem, type EmailNotes } from './prompts/email.js';
import { cleanText } from './similarity.js';
import { chunkTranscript } from './transcript.js';

function tidy(raw: EmailDraft): EmailDraft {
  return {
    subject: cleanText(raw.subject),
    body: raw.body.replace(/\r\n/g, '\n').trim(),
    keyPoints: raw.keyPoints.map(cleanText).filter(Boolean),
    actionItems: raw.actionItems.map(cleanText).filter(Boolean),
  };
}

export async function buildEmail(ctx: LlmContext, c: EngineConversation, opts: { recipientName?: string; tone: EmailTone }): Promise<EmailDraft> {
  const system = emailSystem(opts.tone);
  const budget = budgetFor(ctx, system, emailFromTranscriptPrompt(c, opts.recipientName, ''));
  const chunks = chunkTranscript(c.segments, budget);
  if (chunks.length <= 1) {
    const raw = await callStructured(ctx.call, {
      step: 'email',
      system,
      prompt: emailFromTranscriptPrompt(c, opts.recipientName, chunks[0]?.text ?? '(empty transcript)'),
      schema: emailModelSchema,
    });
    return finalize(emailDraftSchema, tidy(raw));
  }

  const partials = await mapKeypoints(ctx, c);
  const outline = await mergeOutlines(ctx, c, partials);
  const notes: EmailNotes = {
    title: outline.title || c.title || 'Conversation',
    points: outline.sections.flatMap((s) => s.points.map((p) => `${s.heading}: ${p.text}`)),
    decisions: outline.decisions.map((d) => d.text),
    actionItems: mergeActionItems(partials.flatMap((p) => p.actionItems))
      .slice(0, 20)
      .map((a) => `${a.owner ? `${a.owner}: ` : ''}${a.item}${a.dueDate ? ` (due ${a.dueDate})` : ''}`),
  };
  const raw = await callStructured(ctx.call, { step: 'email', system, prompt: emailFromNotesPrompt(c, opts.recipientName, notes), schema: emailModelSchema });
  return finalize(emailDraftSchema, tidy(raw));
}
