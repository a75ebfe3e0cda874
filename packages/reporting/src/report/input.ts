import type { BenchmarkCategory, BenchmarkInfo, EvalItemResult } from '@ballast/schema';

/** One benchmark's per-item results on one checkpoint. */
export interface BenchmarkResults {
  readonly info: BenchmarkInfo;
  readonly items: readonly EvalItemResult[];
}

/** One training run: an arm, or one of its replicates (seeds). */
export interface RunResults {
  /** The run's own name (`arm` or `arm.rK`). */
  readonly run: string;
  /** Replicate number, from 1; replicate K of the treatment is paired with replicate K of the control. */
  readonly replicate: number;
  readonly seed: number;
  /** Content hash and step of the checkpoint compared (normally the run's final one). */
  readonly checkpointHash: string;
  readonly checkpointStep: number;
  readonly compute: { readonly steps: number; readonly recordsSeen: number; readonly tokensSeen: number | null };
  /** The run's mix, for lineage from data to results. */
  readonly mix?: { readonly mixId: string; readonly manifest: string; readonly records: number; readonly components: readonly { name: string; selected: number }[] } | undefined;
  /** Keyed by benchmark ref `id@version`: the compared checkpoint's results. */
  readonly results: Readonly<Record<string, BenchmarkResults>>;
  /** Every evaluated checkpoint's results by training step, for the per-checkpoint curves (optional). */
  readonly byStep?: ReadonlyMap<number, Readonly<Record<string, BenchmarkResults>>> | undefined;
}

/** A declared arm: its runs (one per seed) and the trait domains its data covers. */
export interface ArmInput {
  readonly runs: readonly RunResults[];
  /** Domains present in the arm's trait data (from its mix manifest); out-of-domain is computed from these. */
  readonly trainedDomains: readonly string[];
}

/** The analysis as declared and locked at launch (`spec.analysis`, resolved). */
export interface AnalysisInput {
  /** False when the experiment predates `spec.analysis` and these are defaults applied now; true when omitted. */
  readonly declared?: boolean;
  readonly alpha: number;
  readonly headlineBenchmarks: readonly string[];
  readonly headlineCategories: readonly BenchmarkCategory[] | null;
  readonly primaryMetrics: readonly string[];
  /** By category or benchmark ref; the ref wins. */
  readonly nonInferiorityMargins: Readonly<Record<string, number>>;
  readonly interval: 'seed-t' | 'hierarchical-bootstrap';
}

export interface ReportInput {
  readonly experimentId: string;
  readonly experimentName: string;
  readonly specHash: string;
  readonly simulated: boolean;
  readonly description?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly samplesPerItem?: number | undefined;
  /** The base model's own label (a tiny random model says so), shown as a banner. */
  readonly modelLabel?: string | undefined;
  /** Training runs per arm the spec declared; 2 or more make the seed the unit of replication. */
  readonly seedsPerArm: number;
  readonly analysis: AnalysisInput;
  readonly comparisons: readonly { readonly treatment: string; readonly control: string }[];
  readonly arms: Readonly<Record<string, ArmInput>>;
}
