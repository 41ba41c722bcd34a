"""Run every benchmark module of this package, in name order; a failing one makes the run fail."""

import importlib
import pkgutil
import sys
import traceback

import benchmarks


def main() -> int:
    failures = 0
    for module_info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        if not hasattr(module, "main"):
            continue
        try:
            module.main()
        except Exception:  # noqa: BLE001 (report and go on with the other benchmarks)
            failures += 1
            traceback.print_exc()
            print(f"BENCH {module_info.name} failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
