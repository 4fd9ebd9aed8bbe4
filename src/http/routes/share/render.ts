import { createHash } from 'node:crypto';
import type { SharedConversation } from '../../../domain/share/service.js';

// The public share page is plain server-rendered HTML: no scripts, no external resources, one
// inline stylesheet allowed by its hash, so the Content-Security-Policy can forbid everything else.
const CSS = `
:root{color-scheme:light dark;--fg:#1c1f24;--muted:#5b6470;--bg:#fff;--card:#f5f6f8;--line:#e1e4e8;--accent:#3450c0}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--muted:#a0a8b3;--bg:#121417;--card:#1b1e22;--line:#2c3036;--accent:#8ea2ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:46rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .25rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem;padding-bottom:.35rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1.25rem 0 .4rem}
.meta{color:var(--muted);margin:0}
ul{padding-left:1.25rem;margin:.25rem 0}
li{margin:.2rem 0}
.owner{color:var(--muted)}
.transcript{list-style:none;padding:0;margin:0}
.transcript li{padding:.6rem .75rem;margin:.5rem 0;background:var(--card);border-radius:.5rem}
.who{margin:0 0 .15rem;font-size:.9rem}
.speaker{font-weight:600;color:var(--accent)}
.who time{color:var(--muted);margin-left:.5rem;font-variant-numeric:tabular-nums}
.text{margin:0;white-space:pre-wrap}
footer{margin-top:2.5rem;color:var(--muted);font-size:.85rem}
`.trim();

const CSS_HASH = createHash('sha256').update(CSS).digest('base64');

/** Response headers for every share page, found or not. */
export const SHARE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${CSS_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // A revoked link must stop working at once, so no cache may keep a copy.
  'cache-control': 'no-store',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const dateFormat = () =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Position within the recording, as transcript players show it: m:ss, or h:mm:ss past an hour. */
function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function list(items: string[]): string {
  return `<ul>\n${items.map((i) => `<li>${i}</li>`).join('\n')}\n</ul>`;
}

function keypointsHtml(kp: NonNullable<SharedConversation['keypoints']>): string {
  const parts: string[] = [];
  for (const s of kp.sections) {
    if (!s.points.length) continue;
    parts.push(`<h3>${escapeHtml(s.heading)}</h3>`, list(s.points.map(escapeHtml)));
  }
  if (kp.decisions.length) parts.push('<h3>Decisions</h3>', list(kp.decisions.map(escapeHtml)));
  if (kp.actionItems.length) {
    const items = kp.actionItems.map((a) => escapeHtml(a.item) + (a.owner ? ` <span class="owner">— ${escapeHtml(a.owner)}</span>` : ''));
    parts.push('<h3>Action items</h3>', list(items));
  }
  if (!parts.length) return '';
  return `<section aria-labelledby="keypoints">\n<h2 id="keypoints">Key points</h2>\n${parts.join('\n')}\n</section>`;
}

/** Where this page sits in the transcript, with links to its neighbours. */
function pagerHtml(conv: SharedConversation): string {
  if (conv.pages <= 1) return '';
  const last = conv.firstIndex + conv.segments.length;
  const links: string[] = [];
  if (conv.page > 1) links.push(`<a href="?page=${conv.page - 1}" rel="prev">Previous</a>`);
  if (conv.page < conv.pages) links.push(`<a href="?page=${conv.page + 1}" rel="next">Next</a>`);
  return `<nav class="meta" aria-label="Transcript pages">Segments ${conv.firstIndex + 1}–${last} of ${conv.totalSegments} (page ${conv.page} of ${conv.pages}) ${links.join(' · ')}</nav>`;
}

function transcriptHtml(conv: SharedConversation): string {
  const origin = conv.startTime?.getTime() ?? null;
  const items = conv.segments.map((s, i) => {
    const when =
      s.timestamp && origin !== null ? ` <time datetime="${s.timestamp.toISOString()}">${formatOffset(s.timestamp.getTime() - origin)}</time>` : '';
    return `<li id="seg-${conv.firstIndex + i}"><p class="who"><span class="speaker">${escapeHtml(s.speaker)}</span>${when}</p><p class="text">${escapeHtml(s.text)}</p></li>`;
  });
  const body = items.length ? `<ol class="transcript">\n${items.join('\n')}\n</ol>` : '<p class="meta">This conversation has no transcript yet.</p>';
  const pager = pagerHtml(conv);
  return `<section aria-labelledby="transcript">\n<h2 id="transcript">Transcript</h2>\n${[pager, body, pager].filter(Boolean).join('\n')}\n</section>`;
}

export function renderSharedPage(conv: SharedConversation): string {
  const meta: string[] = [];
  if (conv.startTime) meta.push(`<time datetime="${conv.startTime.toISOString()}">${escapeHtml(dateFormat().format(conv.startTime))} UTC</time>`);
  if (conv.durationMinutes !== null) meta.push(escapeHtml(formatDuration(conv.durationMinutes)));
  const header = `<header>\n<h1>${escapeHtml(conv.title)}</h1>\n${meta.length ? `<p class="meta">${meta.join(' · ')}</p>` : ''}\n</header>`;
  const footer = '<footer>A read-only copy shared by its owner.</footer>';
  return page(conv.title, [header, conv.keypoints ? keypointsHtml(conv.keypoints) : '', transcriptHtml(conv), footer].filter(Boolean).join('\n'));
}

export function renderNotFoundPage(): string {
  return page(
    'Link not available',
    '<h1>This link is not available</h1>\n<p class="meta">The conversation may have been unshared or deleted, or the address is incomplete.</p>',
  );
}
