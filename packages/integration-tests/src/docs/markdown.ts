import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One Markdown document, split into the parts the docs checks read. */
export interface MarkdownDoc {
  /** Path relative to the repository root, e.g. `docs/operations.md`. */
  readonly file: string;
  readonly text: string;
  /** Fenced blocks, with their info string (`mermaid`, `sh`, ...). */
  readonly blocks: readonly { readonly lang: string; readonly text: string }[];
  /** Inline code spans outside fenced blocks. */
  readonly spans: readonly string[];
  /** Targets of `[text](target)` links outside code. */
  readonly links: readonly string[];
  /** GitHub anchors of the headings. */
  readonly anchors: ReadonlySet<string>;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function parseMarkdown(file: string, text: string): MarkdownDoc {
  const blocks: { lang: string; text: string }[] = [];
  const prose: string[] = [];
  const anchors = new Set<string>();
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      if (open) {
        blocks.push({ lang: open.lang, text: open.lines.join('\n') });
        open = undefined;
      } else {
        open = { lang: fence[1] ?? '', lines: [] };
      }
      continue;
    }
    if (open) {
      open.lines.push(line);
      continue;
    }
    prose.push(line);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  const body = prose.join('\n');
  const spans = [...body.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const links = [...body.replace(/`[^`\n]+`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return { file, text, blocks, spans, links, anchors };
}

/** README.md and every docs/*.md, the documents a user reads. */
export function readDocs(root: string): MarkdownDoc[] {
  const files = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))];
  return files.map((path) => parseMarkdown(relative(root, path), readFileSync(path, 'utf8')));
}

/** The text of every code span and every line of every non-Mermaid fenced block: where commands are written. */
export function codeLines(doc: MarkdownDoc): string[] {
  return [...doc.spans, ...doc.blocks.filter((b) => b.lang !== 'mermaid').flatMap((b) => b.text.split('\n'))];
}
