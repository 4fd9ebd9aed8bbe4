// Word sets for matching action items: to one another across regenerations (wording similarity) and
// to later meetings' segments (mentions). Lower-case words without stop words, plurals folded; kept
// deliberately simple so the same words match on every engine's output.

const STOPWORDS = new Set(
  `a an the and or but if then else so to of in on at by for with from into onto about over under up down out off as is are was were be been being
  am do does did done doing have has had having will would shall should can could may might must i me my mine we us our ours you your yours he him his
  she her hers they them their theirs it its this that these those there here who whom whose which what when where why how all any both each few more
  most other some such no nor not only own same than too very just also still yet again once now then soon later ever
  yeah yes ok okay oh um uh well right sure please thanks thank let lets let's i'll we'll you'll he'll she'll they'll it's that's i'm we're you're
  going gonna get gets got make makes made take takes took need needs needed want wants try tries tried
  today tomorrow yesterday week weeks month months day days next last end monday tuesday wednesday thursday friday saturday sunday
  weekend morning afternoon evening eod eow asap time
  january february march april may june july august september october november december`.split(/\s+/).filter(Boolean),
);

// Verbs that say what kind of task it is rather than which task; two items about the same document
// share the document's words, not necessarily "send" or "review".
const TASK_VERBS = new Set(
  `send sends sent follow following check checks review reviews update updates share shares set sets prepare prepares call calls email emails
  write writes draft drafts schedule schedules look looks talk talks reach ask asks confirm confirms chase chases circulate find finds put
  finish finished finishes complete completed completes owner own start starts started work works working sort`.split(/\s+/).filter(Boolean),
);

/** Lower-case words, apostrophes kept inside words, plurals folded ("reports" → "report"). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    let w = m[0].replace(/’/g, "'");
    if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
    out.push(w);
  }
  return out;
}

/** Words that carry meaning (no stop words, no single letters). */
export function contentWords(text: string): Set<string> {
  return new Set(words(text).filter((w) => w.length > 1 && !STOPWORDS.has(w)));
}

/** Content words that name the task's object: the words another meeting would use to mention it. */
export function distinctiveWords(text: string): Set<string> {
  return new Set([...contentWords(text)].filter((w) => !TASK_VERBS.has(w) && !/^\d{1,2}$/.test(w)));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

const FINISHED = /\b(?:done|finished|sent|shipped|merged|completed|complete|delivered|submitted|signed|resolved|closed|wrapped up|took care of|taken care of|handled|published|deployed|released)\b/i;
// "not done", "still waiting", "isn't finished yet": the work goes on.
const UNFINISHED = /\b(?:not|n't|never|still|waiting|yet|pending|blocked|almost|nearly|hasn't|haven't|isn't|wasn't|won't|once|until|when|will|going to|need to|needs to)\b|n't\b/i;

/** Whether a sentence says a task is finished ("the handover doc is done"), not that it is still open. */
export function saysFinished(sentence: string): boolean {
  return FINISHED.test(sentence) && !UNFINISHED.test(sentence);
}
