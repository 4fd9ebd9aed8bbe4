import { MARK_CLOSE, MARK_OPEN } from '../../db/repos/search.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * A snippet safe to put into HTML as it is: the text escaped, the matched words in <mark>…</mark>.
 * The database marks matches with two private-use characters (repos/search.ts), having removed any
 * the text held; unbalanced marks still give balanced tags.
 */
export function markedSnippet(raw: string): string {
  let out = '';
  let open = false;
  for (const part of raw.split(/([\uE000\uE001])/)) {
    if (part === MARK_OPEN) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === MARK_CLOSE) {
      if (open) out += '</mark>';
      open = false;
    } else out += escapeHtml(part);
  }
  return open ? out + '</mark>' : out;
}

/** A title with the search's words (or the whole text, as typed) marked, for a match in the title. */
export function markedTitle(title: string, term: string): string {
  const words = [term.trim(), ...term.split(/[\s"]+/)]
    .map((w) => w.replace(/^-/, ''))
    .filter((w) => w.length >= 2 && !/^or$/i.test(w))
    .sort((a, b) => b.length - a.length);
  if (!words.length) return escapeHtml(title);
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  return title
    .split(pattern)
    .map((part, i) => (i % 2 === 1 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
    .join('');
}
