/** Scrolls to the field whose rjsf id is `id` (or the nearest field inside it) and puts the cursor in it. */
export function focusField(id: string): boolean {
  const el = document.getElementById(id) ?? document.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}."], [id^="${CSS.escape(id)}-"]`);
  if (!el) return false;
  el.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
  const target = el.matches('input, textarea, select, button, [tabindex]') ? el : el.querySelector<HTMLElement>('input:not([type=hidden]), textarea, select, button, [tabindex]');
  (target ?? el).focus({ preventScroll: true });
  return true;
}
