/**
 * Test-only: strings that would run `touch <pwned>-…` if any layer handed them to a shell, plus
 * globbing, variable and format characters. Every backend's hostile-input test sends these through
 * argv, env and keys and checks they arrive verbatim and no file appears.
 */
export function hostileStrings(pwned: string, extra: readonly string[] = []): string[] {
  return [
    `$(touch ${pwned}-dollar)`,
    `\`touch ${pwned}-backtick\``,
    `'; touch ${pwned}-quote; echo '`,
    `"; touch ${pwned}-dquote; echo "`,
    `line one\ntouch ${pwned}-newline`,
    `| touch ${pwned}-pipe && echo`,
    ...extra,
    '*',
    '$HOME ${PATH} %s \\ \t',
    '',
  ];
}
