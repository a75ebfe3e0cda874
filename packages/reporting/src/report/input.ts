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
  /** Results under adversarial pressure and after harmful fine-tuning, for a stressed run (see `PersistenceInput`). */
  readonly persistence?: RunPersistenceResults | undefined;
  /** Set when this run's checkpoints and evaluations were reused from an identical run of an earlier experiment. */
  readonly reusedFrom?: ReusedFromInput | undefined;
}

/** Where a reused run came from: the earlier experiment and that experiment's name for the run. */
export interface ReusedFromInput {
  readonly experimentId: string;
  readonly experimentName: string;
  readonly run: string;
}

/**
 * One stressed run's results, keyed by benchmark ref `id@version` innermost. Step 0 of an attack and
 * pressure level 0 are the unattacked, unpressured final checkpoint: where they are absent here, the
 * run's own `results` stand in for them.
 */
export interface RunPersistenceResults {
  /** By pressure condition ref (`condition-id@version`), the final checkpoint evaluated under that pressure. */
  readonly pressure: Readonly<Record<string, Readonly<Record<string, BenchmarkResults>>>>;
  /** By attack name, then attack step, the attacked model's results. */
  readonly attacks: Readonly<Record<string, Readonly<Record<number, Readonly<Record<string, BenchmarkResults>>>>>>;
}

/**
 * A trait-fraction sweep for the dose–response section: arms (keys of `ReportInput.arms`) that differ
 * only in the share of trait data in their mix. The control is at fraction 0 and need not be listed.
 */
export interface DoseResponseInput {
  readonly control: string;
  /** Fractions are shares of the mix in [0, 1] (0.05 = 5%); at least one must differ from 0. */
  readonly arms: readonly { readonly arm: string; readonly fraction: number }[];
}

/**
 * What was stressed, for the selective-persistence section (docs/statistics.md, "Selective
 * persistence"). Comparisons whose treatment and control are both in `arms` get the section.
 */
export interface PersistenceInput {
  /** The harm-side benchmarks; each is oriented so that higher = safer and their mean is the harm-side score. */
  readonly benchmarks: readonly string[];
  /** Benign-instruction benchmarks; higher = follows instructions; their oriented mean is the steering score. */
  readonly steering: readonly string[];
  /** Pressure conditions with their order on the pressure axis (level 0 = no pressure) and a label. */
  readonly pressure: readonly { readonly ref: string; readonly level: number; readonly label: string }[];
  /** Attacks and the steps evaluated; step 0 is the unattacked final checkpoint. */
  readonly attacks: readonly { readonly name: string; readonly steps: readonly number[] }[];
  /** The stressed arms. */
  readonly arms: readonly string[];
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
  /** A trait-fraction sweep: the report then carries the dose–response section. */
  readonly doseResponse?: DoseResponseInput | undefined;
  /** What was stressed: the report then carries the selective-persistence section. */
  readonly persistence?: PersistenceInput | undefined;
}
