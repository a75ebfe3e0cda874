// Every string in the report can come from a user (names, descriptions, labels) or from data (benchmark
// ids, notes), so the HTML is built only through the `html` tag below: it escapes whatever it
// interpolates unless that is already markup made by this folder. Forgetting to escape then takes effort.

/** Markup produced by this folder: safe to place in a document as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What `html` accepts between its literal parts: text (escaped), markup, lists of either, or nothing. */
export type HtmlValue = SafeHtml | string | null | undefined | false | readonly HtmlValue[];

// C0 and C1 controls (tab, newline and carriage return are kept), DEL, and the bidirectional overrides and
// isolates, which can make a name read as something else. Each shows as U+FFFD so that it is visible.
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe for both HTML text and quoted attribute values: `& < > " '` become entities, and control,
 * bidi-override and unpaired-surrogate characters become U+FFFD.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(UNPRINTABLE, '\uFFFD')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/**
 * Markup from a template: interpolated strings are escaped, SafeHtml is kept, arrays are joined. Attribute
 * values must be double-quoted in the template (`class="${x}"`), which escaping then keeps closed.
 *
 * @example
 * html`<td title="${benchmark}">${benchmark}</td>`
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/**
 * Markup placed as it is: only for constants of this folder (the style sheet) and text that `cssString`
 * has already escaped. Never pass it a string from a report.
 */
export function trustedMarkup(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A quoted CSS string (for `content:` in the print page header) holding any text: everything but letters,
 * digits, space and plain punctuation becomes a six-digit CSS escape, so nothing can end the string, the
 * rule or the `<style>` element. Unprintable characters become U+FFFD.
 */
export function cssString(text: string): string {
  let out = '';
  for (const char of text.replace(UNPRINTABLE, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD')) {
    out += /^[A-Za-z0-9 .,:;!?()_+=-]$/.test(char) ? char : `\\${char.codePointAt(0)!.toString(16).padStart(6, '0')}`;
  }
  return `"${out}"`;
}
