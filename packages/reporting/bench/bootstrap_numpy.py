"""The numpy side of `npm run bench:report` (packages/reporting/src/bench/report-bootstrap.ts).

usage: bootstrap_numpy.py DATA META

DATA holds the scores as little-endian float64, laid out [benchmark][arm][item]; META is JSON with
benchmarks, arms, items, resamples, confidence and seed. For every benchmark and every arm k >= 1 the
paired differences arm k - arm 0 are bootstrapped the idiomatic vectorised way: an index matrix from
Generator.integers, a chunk of resamples at a time so memory stays bounded, a gather, a mean over
axis 1, then np.percentile with its default linear interpolation (Hyndman & Fan type 7, the rule
Ballast's percentileOfSorted follows). One comparison runs first, untimed, as a warm-up; then only
the compute is timed, not the import or the read. Prints one JSON line: seconds and every interval.
"""

import json
import sys
import time

import numpy as np

# Resamples per index matrix: 250 x 1,000 indices stay in cache; larger chunks measured slower here.
CHUNK = 250


def percentile_interval(d, resamples, rng, tails):
    n = d.shape[0]
    means = np.empty(resamples)
    for start in range(0, resamples, CHUNK):
        stop = min(start + CHUNK, resamples)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = np.take(d, idx).mean(axis=1)
    low, high = np.percentile(means, tails)
    return float(low), float(high)


def main():
    data_path, meta_path = sys.argv[1], sys.argv[2]
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    shape = (meta["benchmarks"], meta["arms"], meta["items"])
    scores = np.fromfile(data_path, dtype="<f8").reshape(shape)
    resamples = meta["resamples"]
    tail = (1 - meta["confidence"]) / 2
    tails = [100 * tail, 100 * (1 - tail)]

    percentile_interval(scores[0, 1] - scores[0, 0], resamples, np.random.default_rng(meta["seed"] - 1), tails)

    rng = np.random.default_rng(meta["seed"])
    lows, highs = [], []
    started = time.perf_counter()
    for b in range(shape[0]):
        for k in range(1, shape[1]):
            low, high = percentile_interval(scores[b, k] - scores[b, 0], resamples, rng, tails)
            lows.append(low)
            highs.append(high)
    seconds = time.perf_counter() - started

    print(json.dumps({"seconds": seconds, "numpy": np.__version__, "ci_low": lows, "ci_high": highs}))


if __name__ == "__main__":
    main()
