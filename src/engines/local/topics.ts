// Topics. Chats get service domains: for the domains with enough labelled dialogues a learned
// model (chat-model.ts) decides; the other domains use their lexicon, user turns counting fully
// and assistant turns 0.4, because a domain the user asked for is a topic while one the assistant
// merely mentions ("the taxi rank near your hotel") is not. Meetings get key phrases of their own:
// a design meeting that mentions the weather is not about the weather.
import { rankPhrases, topPhrases } from './keyphrases.js';
import { topicFeatures } from './chat-features.js';
import { TOPIC_MODELS } from './chat-model.js';
import { binaryProbability } from './linear-model.js';
import { DOMAINS } from './service-domains.js';
import type { Transcript } from './transcript.js';

/** Without roles (plain transcripts) the person who opens the conversation is taken as the user. */
export function isUserTurn(t: Transcript, seg: number): boolean {
  const role = t.segments[seg].role;
  if (role) return role === 'user';
  return t.speakerOf[seg] === t.speakerOf[0];
}

export function detectDomains(t: Transcript): string[] {
  const turns = t.segments.map((s, i) => ({ role: isUserTurn(t, i) ? 'user' : 'assistant', text: s.text }));
  const features = topicFeatures(turns);
  const learned = Object.entries(TOPIC_MODELS)
    .map(([name, m]) => ({ name, p: binaryProbability(m, features), m }))
    .filter((x) => x.p >= x.m.threshold)
    .sort((a, b) => b.p - a.p || a.name.localeCompare(b.name))
    .map((x) => x.name);
  const score = new Map<string, number>();
  t.segments.forEach((s, i) => {
    const w = isUserTurn(t, i) ? 1 : 0.4;
    for (const d of DOMAINS) {
      if (TOPIC_MODELS[d.name]) continue;
      let v = 0;
      if (d.strong.test(s.text)) v += 1;
      else if (d.weak?.test(s.text)) v += 0.35;
      if (v) score.set(d.name, (score.get(d.name) ?? 0) + v * w);
    }
  });
  const lexical = [...score.entries()]
    .filter(([, v]) => v >= 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k]) => k);
  return [...learned, ...lexical];
}

/**
 * Domains when the conversation is about services; key phrases only when no domain explains it,
 * because next to "hotel" a phrase like "free parking" is detail, not topic.
 */
export function conversationTopics(t: Transcript, max = 5): string[] {
  const domains = t.conv.kind === 'chat' ? detectDomains(t) : [];
  if (domains.length) return domains.slice(0, max);
  const phrases = topPhrases(rankPhrases(t.sentences), max).map((p) => p.text);
  return phrases.length ? phrases : ['general'];
}
