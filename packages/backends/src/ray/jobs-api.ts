import { BackendUnreachableError } from '../errors.js';
import type { HttpTransport } from './http.js';

/** The fields of Ray's `JobDetails` this backend reads (GET /api/jobs/{id} and the list). */
export interface RayJobDetails {
  type?: string;
  submission_id?: string | null;
  status: 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';
  message?: string | null;
  error_type?: string | null;
  start_time?: number | null;
  end_time?: number | null;
  metadata?: Record<string, string> | null;
  driver_exit_code?: number | null;
}

export interface RaySubmitBody {
  submission_id: string;
  entrypoint: string;
  runtime_env: { env_vars: Record<string, string>; working_dir?: string };
  metadata: Record<string, string>;
  entrypoint_num_cpus: number;
  entrypoint_num_gpus: number;
  entrypoint_memory?: number;
}

/** Ray answered, and the answer is about the job: it exists (value), or Ray says it does not. */
export type Lookup<T> = { found: true; value: T } | { found: false };

/**
 * A thin client for the Ray Jobs REST API. Every failure to get an answer from Ray itself (network, timeout,
 * 5xx, a 404 without Ray's "does not exist") becomes `BackendUnreachableError`, so that only a real answer
 * from Ray can ever make a job look gone.
 */
export class RayJobsApi {
  constructor(
    readonly address: string,
    private readonly transport: HttpTransport,
    private readonly timeoutMs: number,
  ) {}

  async version(): Promise<{ version: string; ray_version: string }> {
    const response = await this.request('GET', '/api/version');
    if (response.status !== 200) throw this.unexpected('GET /api/version', response);
    return parseJson(response.text, this.address) as { version: string; ray_version: string };
  }

  async getJob(submissionId: string): Promise<Lookup<RayJobDetails>> {
    const path = `/api/jobs/${encodeURIComponent(submissionId)}`;
    const response = await this.request('GET', path);
    if (isRayNotFound(response)) return { found: false };
    if (response.status !== 200) throw this.unexpected(`GET ${path}`, response);
    return { found: true, value: parseJson(response.text, this.address) as RayJobDetails };
  }

  async listJobs(): Promise<RayJobDetails[]> {
    const response = await this.request('GET', '/api/jobs/');
    if (response.status !== 200) throw this.unexpected('GET /api/jobs/', response);
    const body = parseJson(response.text, this.address);
    if (!Array.isArray(body)) throw new BackendUnreachableError(this.address, 'GET /api/jobs/ did not return a list');
    return body as RayJobDetails[];
  }

  /**
   * `duplicate`: Ray already has a job with this submission id (Ray 2.60 answers that with HTTP 500 and a
   * traceback ending in "already exists", older versions with 400). `rejected`: any other 4xx, with Ray's
   * text (e.g. a bad runtime_env); Ray did not create the job.
   */
  async submit(body: RaySubmitBody): Promise<{ outcome: 'accepted' } | { outcome: 'duplicate' } | { outcome: 'rejected'; status: number; text: string }> {
    const response = await this.request('POST', '/api/jobs/', body);
    if (response.status === 200) return { outcome: 'accepted' };
    if (response.status >= 400 && /submission_id \S+ already exists/.test(response.text)) return { outcome: 'duplicate' };
    if (response.status >= 400 && response.status < 500) return { outcome: 'rejected', status: response.status, text: response.text };
    throw this.unexpected('POST /api/jobs/', response);
  }

  /** False when Ray does not know the job. */
  async stop(submissionId: string): Promise<boolean> {
    const path = `/api/jobs/${encodeURIComponent(submissionId)}/stop`;
    const response = await this.request('POST', path);
    if (isRayNotFound(response)) return false;
    if (response.status !== 200) throw this.unexpected(`POST ${path}`, response);
    return true;
  }

  /** The job's whole driver log as Ray returns it; Ray has no server-side tail for this endpoint. */
  async logs(submissionId: string): Promise<Lookup<string>> {
    const path = `/api/jobs/${encodeURIComponent(submissionId)}/logs`;
    const response = await this.request('GET', path);
    if (isRayNotFound(response)) return { found: false };
    if (response.status !== 200) throw this.unexpected(`GET ${path}`, response);
    const body = parseJson(response.text, this.address) as { logs?: unknown };
    return { found: true, value: typeof body.logs === 'string' ? body.logs : '' };
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
    try {
      return await this.transport(method, new URL(this.address.replace(/\/+$/, '') + path), body === undefined ? undefined : JSON.stringify(body), this.timeoutMs);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      const why = cause?.code ?? (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new BackendUnreachableError(this.address, `${method} ${path}: ${why}`);
    }
  }

  private unexpected(what: string, response: { status: number; text: string }): BackendUnreachableError {
    return new BackendUnreachableError(this.address, `${what} answered HTTP ${response.status}: ${firstLine(response.text)}`);
  }
}

/** Ray's own "Job X does not exist"; a bare 404 (a proxy, a wrong address prefix) is not evidence about a job. */
function isRayNotFound(response: { status: number; text: string }): boolean {
  return response.status === 404 && /does not exist/.test(response.text);
}

function parseJson(text: string, address: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BackendUnreachableError(address, `answer is not JSON: ${firstLine(text)}`);
  }
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').slice(0, 300);
}
