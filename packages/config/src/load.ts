import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { BallastConfig, type BallastConfigInput } from './schema.js';
import { ENV_BINDINGS } from './env-bindings.js';

/** Thrown when configuration from any layer does not validate; names each field and its layer. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  path.slice(0, -1).forEach((key) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  });
  node[path[path.length - 1]!] = value;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && prev !== null && typeof prev === 'object'
        ? deepMerge(prev as Tree, value as Tree)
        : value;
  }
  return out;
}

/** The repository root, for the project-local `.tools/` default. */
export function repositoryRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export interface LoadConfigOptions {
  /** Highest layer: values from command-line flags. */
  readonly flags?: BallastConfigInput | Tree;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Explicit config file; otherwise $BALLAST_CONFIG, then BALLAST_HOME/config.yaml if present. */
  readonly configFile?: string;
}

/**
 * Layers defaults < config file < environment < flags and validates the result once. The only place
 * in Ballast that reads process.env for settings.
 */
export function loadConfig(options: LoadConfigOptions = {}): BallastConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const envLayer: Tree = {};
  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.env];
    if (raw !== undefined && raw !== '') setPath(envLayer, binding.path, raw);
  }
  const flags = (options.flags ?? {}) as Tree;
  const homeGuess = (flags['home'] as string | undefined) ?? (envLayer['home'] as string | undefined) ?? '.ballast';
  const home = isAbsolute(homeGuess) ? homeGuess : resolve(cwd, homeGuess);
  const fileName = options.configFile ?? env['BALLAST_CONFIG'] ?? join(home, 'config.yaml');
  let fileLayer: Tree = {};
  if (existsSync(fileName)) {
    try {
      fileLayer = (parseYaml(readFileSync(fileName, 'utf8')) ?? {}) as Tree;
    } catch (error) {
      throw new ConfigError([{ path: fileName, message: `not valid YAML: ${(error as Error).message}` }]);
    }
  } else if (options.configFile ?? env['BALLAST_CONFIG']) {
    throw new ConfigError([{ path: 'BALLAST_CONFIG', message: `no such file: ${fileName}` }]);
  }
  const defaults: Tree = { home, toolsDir: join(repositoryRoot(), '.tools') };
  const merged = deepMerge(deepMerge(deepMerge(defaults, fileLayer), envLayer), flags);
  merged['home'] = home;
  const parsed = BallastConfig.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.flatMap((issue) => {
        const base = issue.path.map(String);
        // An unknown key (a typo in the config file) is reported at its own path.
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown setting (check the spelling)' }));
        }
        const path = base.join('.');
        const binding = ENV_BINDINGS.find((b) => b.path.join('.') === path);
        return [{ path: binding ? `${path} (${binding.env})` : path || '(root)', message: issue.message }];
      }),
    );
  }
  const config = parsed.data;
  if (!isAbsolute(config.toolsDir)) config.toolsDir = resolve(cwd, config.toolsDir);
  return config;
}

/** A copy safe to print: secrets replaced. */
export function redactConfig(config: BallastConfig): BallastConfig {
  return {
    ...config,
    temporal: { ...config.temporal, ...(config.temporal.apiKey ? { apiKey: '***' } : {}) },
    database: { ...config.database, ...(config.database.url ? { url: redactUrl(config.database.url) } : {}) },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
