// Minimal typing for wink-bm25-text-search (the package ships none).
declare module 'wink-bm25-text-search' {
  export interface BM25Config {
    fldWeights: Record<string, number>;
    bm25Params?: { k1?: number; b?: number; k?: number };
    ovFldNames?: string[];
  }
  export interface BM25Engine {
    defineConfig(config: BM25Config): boolean;
    definePrepTasks(tasks: Array<(input: string) => string[]>, field?: string): number;
    addDoc(doc: Record<string, string>, id: number | string): number;
    consolidate(fp?: number): boolean;
    search(text: string, limit?: number, filter?: (ov: unknown, params: unknown) => boolean, params?: unknown): Array<[string, number]>;
    reset(): boolean;
  }
  const bm25: () => BM25Engine;
  export default bm25;
}
