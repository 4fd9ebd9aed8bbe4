// Helpers for the real-browser suites (not a test file itself): finding Chromium, making sure
// the dashboard is built, axe-core, screenshots and layout checks.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

// The callbacks given to page.evaluate run in the browser; the project's typecheck has no DOM lib.
declare const window: any;
declare const document: any;
declare function getComputedStyle(el: any): any;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'transcripts');
export const SCREENSHOTS = join(ROOT, 'test-results', 'browser');
const WEB_SRC = join(ROOT, 'web', 'src');
const WEB_INDEX = join(ROOT, 'web', 'dist', 'index.html');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Why the browser suites cannot run here, or null when they can. On CI a missing browser is a
 * failure (CI installs it); on a developer machine the suites are skipped with this message.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  return `Chromium not found at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH) to run the browser tests`;
}
export const isCI = process.env.CI === 'true';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than web/src (so the tests never see a stale dashboard). */
export async function ensureDashboardBuilt(): Promise<void> {
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= newestMtime(WEB_SRC)) return;
  const { build } = await import('vite');
  await build({ root: join(ROOT, 'web'), configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(WEB_INDEX)) throw new Error('vite build did not produce web/dist/index.html');
}

/**
 * Signs a browser context in as the dashboard does (POST /api/v1/dashboard/session with the key):
 * the session cookies land in the context's cookie jar, and the key is kept nowhere.
 */
export async function signInContext(context: BrowserContext, baseUrl: string, key: string): Promise<void> {
  const res = await context.request.post(`${baseUrl}/api/v1/dashboard/session`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status() !== 201) throw new Error(`starting a dashboard session: ${res.status()} ${await res.text()}`);
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A PNG of a page (the whole page, or what the window shows) or of one element, under test-results/browser/. */
export async function screenshot(target: Page | Locator, name: string, { fullPage = true } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path, fullPage, animations: 'disabled' });
  else await target.screenshot({ path, animations: 'disabled' });
  return path;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core on the page and returns the serious and critical violations, formatted. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r: { violations: AxeViolation[] } = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
          .join('\n'),
    );
}

/** How far the page scrolls sideways (0 = no horizontal scroll), and the widest offenders. */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; offenders: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const overflow = Math.max(doc.scrollWidth, document.body.scrollWidth) - width;
    const offenders: string[] = [];
    if (overflow > 0) {
      for (const el of Array.from(document.querySelectorAll('body *')) as any[]) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0) {
          const id = el.id ? `#${el.id}` : '';
          const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          offenders.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(r.right)}`);
          if (offenders.length >= 8) break;
        }
      }
    }
    return { overflow, offenders };
  });
}

/** True when the element is fully inside the window and inside every scrolling ancestor's visible box. */
export async function isScrolledIntoView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el: any) => {
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight || r.height === 0) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (!/(auto|scroll|hidden)/.test(style.overflowY)) continue;
      const pr = p.getBoundingClientRect();
      if (r.top < pr.top - 1 || r.bottom > pr.bottom + 1) return false;
    }
    return true;
  });
}

/**
 * Whether the element ends up focused within `timeoutMs`. The dashboard moves focus in an
 * animation frame after the render that shows the element, so an immediate check races it.
 */
export async function becomesFocused(locator: Locator, timeoutMs = 5000): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    // A plain function body: named helpers inside it would not exist in the page.
    if (await locator.evaluate((el: any) => el === document.activeElement).catch(() => false)) return true;
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
