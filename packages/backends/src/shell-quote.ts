/**
 * POSIX shell quoting, for the two places a remote side hands a line to a shell: Ray's entrypoint
 * (`/bin/sh -c`) and ssh's remote command. Every word is single-quoted, the one quoting form in which the
 * shell interprets nothing (`$`, backticks, `\`, newlines all stay literal); a `'` inside ends the quote,
 * adds an escaped quote and reopens it.
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
