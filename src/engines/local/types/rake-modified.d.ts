// Minimal typing for rake-modified's building blocks (the package ships none).
declare module 'rake-modified' {
  export function generateCandidateKeywords(sentences: string[], stopWordPattern: RegExp, minCharLength?: number, maxWordsLength?: number): string[];
  export function calculateWordScores(phrases: string[]): Record<string, number>;
  export function generateCandidateKeywordScores(phrases: string[], wordScores: Record<string, number>, minKeywordFrequency?: number): Record<string, number>;
  export function splitSentences(text: string): string[];
  const rake: (text: string) => Record<string, number>;
  export default rake;
}
