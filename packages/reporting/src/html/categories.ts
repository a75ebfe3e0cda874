import { BENCHMARK_CATEGORIES, type BenchmarkCategory } from '@ballast/schema';

/** Items grouped by benchmark category, in the schema's category order, keeping their order within a group. */
export function groupByCategory<T extends { category: BenchmarkCategory }>(items: readonly T[]): Array<[BenchmarkCategory, T[]]> {
  return BENCHMARK_CATEGORIES.map((category): [BenchmarkCategory, T[]] => [category, items.filter((item) => item.category === category)]).filter(
    ([, group]) => group.length > 0,
  );
}
