import { terminalText, type BallastConfig } from '@ballast/config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEYS = /password|secret|token|apikey|api_key|authorization|databaseurl|url/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_KEYS.test(key) && typeof value === 'string' ? value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') : value;
  }
  return out;
}

/**
 * One-line logs to stderr: `time level message {fields}`, plain text (no colour, TTY or not). Secrets in
 * known fields are redacted. Messages and fields often quote data (a spec field, a dataset line, a
 * request), so control and bidi characters are shown escaped: one entry is one line, and a log read
 * in a terminal cannot be recoloured or rewritten by what it quotes.
 */
export function createLogger(config: Pick<BallastConfig, 'log'>, sink: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const min = ORDER[config.log.level];
  return (level, message, fields) => {
    if (ORDER[level] < min) return;
    // JSON escapes C0 itself; terminalText adds DEL, C1 and the bidi controls.
    const extra = fields && Object.keys(fields).length > 0 ? ` ${terminalText(JSON.stringify(redact(fields)) ?? '')}` : '';
    sink(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${terminalText(message)}${extra}`);
  };
}
