// Words that carry no topic in conversation even though general-English stop lists keep them
// ("yeah", "gonna", "stuff"); used on top of wink's stop-word flag when scoring content.
export const CONVERSATIONAL_STOPWORDS = new Set(
  `yeah yes yep yup no nope okay ok oh ah um uh erm hmm mm mhm huh right alright well so just like really actually basically
  gonna wanna gotta kinda sorta think thought know knew mean means meant guess suppose say said says saying tell told
  thing things stuff lot lots bit kind sort way ways something anything everything nothing someone anyone everyone
  get gets got getting go goes going went gone come comes came coming make makes made making take takes took
  want wants wanted need needs needed look looks looked see seen saw let lets maybe probably sure fine good great
  nice cool thank thanks please hello hi hey bye goodbye sorry mr mrs ms dr hon chair also even still much many
  one two three first second also quite pretty little big whatever anyway yeah. 's 're 've 'll 'd 'm n't
  i me my we us our you your he him his she her they them their it its this that these those there here
  wait hear heard use used using try trying tried work works working question questions point points part
  today now time times year years day days week weeks people person`.split(/\s+/).filter(Boolean),
);

export function isContentWord(word: string, winkStop: boolean): boolean {
  if (winkStop || word.length < 2) return false;
  if (!/[a-z]/.test(word)) return /^\d{2,}$/.test(word);
  return !CONVERSATIONAL_STOPWORDS.has(word);
}
