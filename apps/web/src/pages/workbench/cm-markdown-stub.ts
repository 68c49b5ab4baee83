/**
 * codemirror-json-schema renders the descriptions of its hovers and completions as markdown with
 * shiki's highlighter, which loads a WebAssembly engine and grammars when its module is first
 * imported (CSP: no wasm; a large chunk). Our meta-schemas' descriptions are plain Chinese text:
 * vite (vite.config.ts) gives the library this module in its place, which shows them as text.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function renderMarkdown(markdown: string): string {
  return String(markdown ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
