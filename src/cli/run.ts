/** Entry used by bin/colloquy.mjs and by tests: `serve` hands over to the server's main. */
export async function run(args: string[]): Promise<void> {
  if (args[0] === 'serve') {
    await import('../main.js');
    return;
  }
  const { runCli } = await import('./main.js');
  process.exitCode = await runCli(args);
}

const isEntry = process.argv[1] && /cli[\\/]run\.(ts|js)$/.test(process.argv[1]);
if (isEntry) await run(process.argv.slice(2));
