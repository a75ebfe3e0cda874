// Markdown building blocks shared by the report's Markdown sections: tables and inert, escaped text.
import { terminalText } from '@ballast/config';

export type Align = 'left' | 'right';

export function table(header: string[], rows: string[][], align: Align[]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'right' ? '---:' : ':---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Inside backticks: no backtick can close the span early. */
export function code(s: string): string {
  return terminalText(s).replace(/`/g, "'");
}

/** Data as inert Markdown on one line: controls and line breaks shown escaped, markup characters escaped. */
export function escapeText(s: string): string {
  return terminalText(s).replace(/([\\`*_[\]<>#])/g, '\\$1');
}
