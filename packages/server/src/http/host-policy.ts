/**
 * Which Host and Origin names the API answers to. A web page can reach a loopback API by DNS
 * rebinding (its own name re-pointed at 127.0.0.1): the browser then sends the page's name as Host,
 * and as Origin on cross-site requests, so both are checked against the names this server really has.
 */

/** A host as a request or a setting names it: lower-case name (IPv6 in brackets) and port, if given. */
export interface HostName {
  readonly name: string;
  readonly port: number | null;
}

// Only plain names and IP literals: anything with userinfo, a path or odd characters is refused rather
// than guessed at (a URL parser would read `evil@127.0.0.1` as 127.0.0.1).
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/** Parses `name`, `name:port`, `[v6]` or `[v6]:port`; null when it is none of these. */
export function parseHostName(value: string): HostName | null {
  const match = HOST.exec(value.trim().toLowerCase());
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  return { name: match[1]!, port };
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** An address the server binds to, as a Host header would name it; null for a wildcard address. */
function boundName(address: string): string | null {
  const name = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address.toLowerCase();
  return name === '0.0.0.0' || name === '[::]' ? null : name;
}

/** Thrown when an `api.allowedHosts` entry is not a host name, host:port, [IPv6] or [IPv6]:port. */
export class AllowedHostInvalidError extends Error {
  readonly code = 'API_ALLOWED_HOST_INVALID';
  constructor(readonly entry: string) {
    super(`api.allowedHosts (BALLAST_API_ALLOWED_HOSTS): '${entry}' is not a host name, host:port, [IPv6] or [IPv6]:port`);
    this.name = 'AllowedHostInvalidError';
  }
}

export interface HostPolicy {
  /** Whether a request's Host header names this server. */
  allowsHost(header: string | undefined): boolean;
  /** Whether a request's Origin header (absent: not a cross-site browser request) is allowed. */
  allowsOrigin(header: string | undefined): boolean;
}

/**
 * Loopback names (localhost, 127.0.0.0/8, [::1]) and the bound address answer on any port; entries of
 * `allowedHosts` answer on the port they name, or on any port when they name none.
 */
export function createHostPolicy(options: { boundAddress: string; allowedHosts: readonly string[] }): HostPolicy {
  const anyPort = new Set<string>();
  const withPort = new Set<string>();
  const bound = boundName(options.boundAddress);
  if (bound) anyPort.add(bound);
  for (const entry of options.allowedHosts) {
    const parsed = parseHostName(entry);
    if (!parsed) throw new AllowedHostInvalidError(entry);
    if (parsed.port === null) anyPort.add(parsed.name);
    else withPort.add(`${parsed.name}:${parsed.port}`);
  }
  const allows = (host: HostName, defaultPort: number): boolean =>
    isLoopback(host.name) || anyPort.has(host.name) || withPort.has(`${host.name}:${host.port ?? defaultPort}`);

  return {
    allowsHost(header) {
      const host = header === undefined ? null : parseHostName(header);
      return host !== null && allows(host, 80);
    },
    allowsOrigin(header) {
      if (header === undefined) return true;
      let origin: URL;
      try {
        origin = new URL(header);
      } catch {
        return false; // includes the opaque origin 'null' of sandboxed frames and file:// pages
      }
      if (origin.protocol !== 'http:' && origin.protocol !== 'https:') return false;
      const host = parseHostName(origin.host);
      return host !== null && allows(host, origin.protocol === 'https:' ? 443 : 80);
    },
  };
}
