// Where a Piscina pool starts its threads: the shared CommonJS entry (entry.cts), told which module
// to run. `base` is the module's URL without extension; under tsx (tests, dev) this file is
// TypeScript source and the threads inherit tsx's loader, so they run the .ts sources.
export function threadEntry(base: URL): { filename: string; workerData: { module: string } } {
  const source = import.meta.url.endsWith('.ts');
  return {
    filename: new URL(source ? './entry.cts' : './entry.cjs', import.meta.url).href,
    workerData: { module: `${base.href}${source ? '.ts' : '.js'}` },
  };
}
