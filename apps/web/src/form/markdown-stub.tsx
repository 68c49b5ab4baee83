/**
 * Stands in for markdown-to-jsx, which @rjsf/core imports for `ui:enableMarkdownInDescription`.
 * Pack descriptions are plain Chinese text, so they render as text (and 25 KB of gzipped
 * JavaScript stay out of the form's bundle).
 */
import type { ReactNode } from 'react';

export function Markdown({ children }: { children?: ReactNode; options?: unknown }) {
  return <>{children}</>;
}
export default Markdown;
