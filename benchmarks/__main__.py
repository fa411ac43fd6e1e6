"""Run the benchmarks: ``python -m benchmarks [NAME ...] [--smoke]``.

Without names, all of them, in the order of docs/benchmarks.md. ``--smoke``
runs each on tiny data once, as CI does, to keep the scripts working.
"""

import argparse
import importlib

NAMES = (
    "fit_overhead",
    "training_speed",
    "prediction_latency",
    "parallel_search",
    "dask_search",
    "memory",
    "sparse_memory",
    "throughput",
    "tuning",
    "cross_validation",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of: {', '.join(NAMES)}")
    parser.add_argument("--smoke", action="store_true", help="tiny data, one repetition")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(NAMES)}")
    for name in args.names or NAMES:
        module = importlib.import_module(f"benchmarks.{name}")
        module.main(["--smoke"] if args.smoke else [])
        print()


if __name__ == "__main__":
    main()
