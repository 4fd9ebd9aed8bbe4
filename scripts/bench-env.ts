import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Environment for a measuring server (benchmarks, evaluation): a fresh temporary data folder, no
 * demo user, silent logs, any free port, and an enterprise tier without an hourly limit — these
 * runs measure the request path, not the rate limiter's refusal.
 */
export function measuringEnv(prefix: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ tiers: { enterprise: { requestsPerHour: 1_000_000_000 } } }));
  return {
    PORT: '0',
    COLLOQUY_DATA_DIR: join(dir, 'data'),
    COLLOQUY_CONFIG_FILE: configFile,
    COLLOQUY_DEMO_USER: 'false',
    LOG_LEVEL: 'silent',
  };
}
