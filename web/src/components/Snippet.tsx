// A search snippet from the API: HTML-escaped text with the matched words in <mark>…</mark>. It is
// rendered as React text and <mark> elements (unescaped here), never as HTML.
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

const unescape = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);

export function Snippet({ html, testId }: { html: string; testId?: string }) {
  const parts = html.split(/(<mark>.*?<\/mark>)/s);
  return (
    <span className="snippet" data-testid={testId}>
      {parts.map((part, i) =>
        part.startsWith('<mark>') ? <mark key={i}>{unescape(part.slice(6, -7))}</mark> : part && <span key={i}>{unescape(part)}</span>,
      )}
    </span>
  );
}
