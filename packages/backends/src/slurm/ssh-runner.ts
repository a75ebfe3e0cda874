/**
 * A CommandRunner that runs each Slurm command on a login node through the OpenSSH client, for
 * deployments where Ballast's worker is not itself a Slurm submit host.
 *
 * ssh joins its remote arguments into one string that the login node's shell parses, so every word
 * (and every `NAME=value` of the command's environment) is single-quoted here and the line run is
 * `env -- 'NAME=value'… 'program' 'arg'…`. ssh itself is spawned with an argv, never through a local
 * shell. ssh's own failures (exit 255: refused, timed out, host key or key mismatch) come back with
 * `code: null`, which cli.ts reads as "unreachable", never as Slurm's answer.
 *
 * The Slurm backend still reads and writes its state dir (batch script, launch specs, logs) and the
 * jobcomp log locally: both must be the same paths on the worker and the cluster (a shared filesystem).
 *
 * @example
 * const backend = new SlurmBackend({
 *   stateDir: '/shared/ballast/backends/slurm',
 *   commandRunner: sshRunner({ host: 'login1.cluster', user: 'ballast', identityFile: '/etc/ballast/id_ed25519',
 *     knownHostsFile: '/etc/ballast/known_hosts' }),
 * });
 */
import { execFile } from 'node:child_process';
import { InvalidSshOptionsError } from '../errors.js';
import { shellQuote } from '../shell-quote.js';
import { DEFAULT_COMMAND_TIMEOUT_MS } from './cli.js';
import type { CommandResult, CommandRunner } from './cli.js';

/** The exit status ssh reserves for its own errors (the remote command's status is passed through otherwise). */
export const SSH_FAILURE_EXIT = 255;

export interface SshRunnerOptions {
  /** The login node: a host name or an IP address. */
  host: string;
  /** Remote user; ssh's default (the ssh config, else the local user) when absent. */
  user?: string;
  port?: number;
  /** Private key to authenticate with; only this key is offered (IdentitiesOnly). */
  identityFile?: string;
  /** known_hosts file holding the login node's host key; ssh's default files when absent. */
  knownHostsFile?: string;
  /**
   * `yes` (default): the host key must already be known. `accept-new`: the first connection records it
   * (trust on first use), a changed key is still refused. Never `no`.
   */
  strictHostKeyChecking?: 'yes' | 'accept-new';
  /** Seconds ssh waits for the TCP connection (ConnectTimeout); default 10. */
  connectTimeoutSeconds?: number;
  /** ssh_config to read: an absolute path, or `none` to read none; ssh's default files when absent. */
  configFile?: string;
  /** Further `-o` settings, e.g. `{ ControlMaster: 'auto', ControlPersist: '60' }`; see SSH_EXTRA_OPTIONS. */
  options?: Readonly<Record<string, string>>;
  /** The ssh client; `ssh` on this process's PATH by default. */
  sshPath?: string;
  /** Wall-clock limit per command, connection included; the local ssh is killed after it. */
  timeoutMs?: number;
}

/**
 * `-o` settings a deployment may add. Others are refused: some run local commands (ProxyCommand,
 * LocalCommand, KnownHostsCommand), replace the remote command (RemoteCommand), or undo what this
 * runner sets (BatchMode, StrictHostKeyChecking, RequestTTY).
 */
export const SSH_EXTRA_OPTIONS = [
  'AddressFamily',
  'BindAddress',
  'CertificateFile',
  'CheckHostIP',
  'Ciphers',
  'Compression',
  'ConnectionAttempts',
  'ControlMaster',
  'ControlPath',
  'ControlPersist',
  'GlobalKnownHostsFile',
  'HostKeyAlgorithms',
  'HostKeyAlias',
  'IPQoS',
  'KexAlgorithms',
  'MACs',
  'ProxyJump',
  'PubkeyAcceptedAlgorithms',
  'ServerAliveCountMax',
  'ServerAliveInterval',
  'TCPKeepAlive',
  'UpdateHostKeys',
  'VerifyHostKeyDNS',
] as const;

/** Thrown when SshRunnerOptions are unusable (a host that ssh would read as an option, a refused `-o`…). */

// ssh_config values are split on whitespace and expand %-tokens, so paths that carry either are refused
// rather than escaped.
const CONFIG_PATH = /^\/[^\s%"'\\]*$/;
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?|[0-9A-Fa-f]*:[0-9A-Fa-f:.]+)$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONTROL_CHARS = /[\0-\x1f\x7f]/;

export function sshOptionIssues(options: SshRunnerOptions): string[] {
  const issues: string[] = [];
  if (!HOST.test(options.host)) issues.push(`host: ${JSON.stringify(options.host)} is not a host name or IP address`);
  if (options.user !== undefined && !USER.test(options.user)) issues.push(`user: ${JSON.stringify(options.user)} is not a user name`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535)) {
    issues.push('port: must be an integer in 1..65535');
  }
  for (const key of ['identityFile', 'knownHostsFile'] as const) {
    const path = options[key];
    if (path !== undefined && !CONFIG_PATH.test(path)) issues.push(`${key}: must be an absolute path without whitespace, quotes, \\ or %`);
  }
  if (options.configFile !== undefined && options.configFile !== 'none' && !CONFIG_PATH.test(options.configFile)) {
    issues.push('configFile: must be `none` or an absolute path without whitespace, quotes, \\ or %');
  }
  if (options.strictHostKeyChecking !== undefined && !['yes', 'accept-new'].includes(options.strictHostKeyChecking)) {
    issues.push('strictHostKeyChecking: must be `yes` or `accept-new`');
  }
  const timeout = options.connectTimeoutSeconds;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 1)) issues.push('connectTimeoutSeconds: must be an integer >= 1');
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) issues.push('timeoutMs: must be > 0');
  if (options.sshPath !== undefined && (options.sshPath === '' || options.sshPath.startsWith('-') || CONTROL_CHARS.test(options.sshPath))) {
    issues.push('sshPath: must name a program');
  }
  const allowed = new Map(SSH_EXTRA_OPTIONS.map((name) => [name.toLowerCase(), name]));
  for (const [name, value] of Object.entries(options.options ?? {})) {
    if (!allowed.has(name.toLowerCase())) issues.push(`options.${name}: not allowed (allowed: ${SSH_EXTRA_OPTIONS.join(', ')})`);
    else if (typeof value !== 'string' || value.trim() === '' || CONTROL_CHARS.test(value)) issues.push(`options.${name}: must be a non-empty single-line string`);
  }
  return issues;
}

/**
 * The line the login node's shell runs: `env -- 'NAME=value'… 'program' 'arg'…`. Quoted words are
 * never taken as assignments, expansions or options of env, so only `env` and the program run.
 */
export function remoteCommandLine(argv: readonly string[], env: Readonly<Record<string, string>>): string {
  const [program] = argv;
  if (program === undefined || program === '') throw new RangeError('empty argv');
  // env would read a program named `A=B` as one more assignment, and `-x` as its own option.
  if (program.includes('=') || program.startsWith('-')) throw new RangeError(`program ${JSON.stringify(program)} cannot be run through env`);
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name)) throw new RangeError(`environment variable name ${JSON.stringify(name)} is not portable`);
  }
  const assignments = Object.entries(env).map(([name, value]) => shellQuote(`${name}=${value}`));
  return ['env', '--', ...assignments, ...argv.map(shellQuote)].join(' ');
}

/** ssh's argv (without the program) for one remote command line. */
export function sshArgv(options: SshRunnerOptions, commandLine: string): string[] {
  const args = [
    '-n', // stdin from /dev/null: Slurm's commands read none, and ssh must not wait on ours
    '-T',
    '-o', 'BatchMode=yes', // never prompt for a password or passphrase
    '-o', `StrictHostKeyChecking=${options.strictHostKeyChecking ?? 'yes'}`,
    '-o', `ConnectTimeout=${options.connectTimeoutSeconds ?? 10}`,
    // Errors still reach stderr; warnings ("Permanently added …") would be mixed into Slurm's.
    '-o', 'LogLevel=ERROR',
  ];
  if (options.configFile !== undefined) args.push('-F', options.configFile);
  if (options.port !== undefined) args.push('-p', String(options.port));
  if (options.user !== undefined) args.push('-l', options.user);
  if (options.identityFile !== undefined) args.push('-i', options.identityFile, '-o', 'IdentitiesOnly=yes');
  if (options.knownHostsFile !== undefined) args.push('-o', `UserKnownHostsFile=${options.knownHostsFile}`);
  for (const [name, value] of Object.entries(options.options ?? {})) args.push('-o', `${name}=${value}`);
  // `--` ends ssh's options: nothing after it is read as one, whatever the host looks like.
  args.push('--', options.host, commandLine);
  return args;
}

/** Where ssh connects, for messages: `user@host:port`. */
export function sshDestination(options: SshRunnerOptions): string {
  return `${options.user ? `${options.user}@` : ''}${options.host}${options.port ? `:${options.port}` : ''}`;
}

/**
 * Runs Slurm commands on `options.host` over ssh. The env given with each command (the backend's PATH
 * and SLURM_CONF) is set on the login node on top of its own login environment.
 */
export function sshRunner(options: SshRunnerOptions): CommandRunner {
  const issues = sshOptionIssues(options);
  if (issues.length > 0) throw new InvalidSshOptionsError(issues);
  const ssh = options.sshPath ?? 'ssh';
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const destination = sshDestination(options);
  return (argv, env) =>
    new Promise<CommandResult>((resolve) => {
      let line: string;
      try {
        line = remoteCommandLine(argv, env);
      } catch (error) {
        resolve({ code: null, stdout: '', stderr: `not run over ssh: ${(error as Error).message}` });
        return;
      }
      execFile(
        ssh,
        sshArgv(options, line),
        { shell: false, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ code: 0, stdout, stderr });
          const exit = typeof error.code === 'number' && !error.killed ? error.code : null;
          if (exit !== null && exit !== SSH_FAILURE_EXIT) return resolve({ code: exit, stdout, stderr });
          // 255 is ssh's own failure (a remote program exiting 255 reads the same and is taken as one too:
          // "could not ask" is the safe reading, never "the job failed").
          const why = exit === SSH_FAILURE_EXIT ? 'exit 255' : error.killed ? `killed after ${timeoutMs} ms` : error.message;
          // Last, because describe() keeps the tail; ssh ends some lines with \r\n.
          resolve({ code: null, stdout, stderr: `${stderr.replaceAll('\r\n', '\n')}ssh to ${destination} failed (${why})\n` });
        },
      );
    });
}
