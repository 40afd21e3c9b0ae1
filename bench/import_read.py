"""Benchmark: read + validate an enterprise quarterly xlsx (read_workbook) versus python-calamine alone.

For 10,000 and 100,000 rows (synthetic, valid, written by lanbai.core.collection.synthetic), prints
side by side the time of python-calamine reading the data sheet into Python values, the time of
read_workbook (container checks, metadata, formula scan, calamine, validation of every cell,
typed records) and their ratio; and the peak resident memory of a fresh process reading the
100,000-row file.  Goal: ratio <= 3, peak memory < 1 GB.  The last line is
``ratio: import_read VALUE goal<=3`` with VALUE the worse of the two ratios.

    .venv/bin/python bench/import_read.py
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from lanbai.core.collection import default_forms_dir, load_forms, read_workbook
from lanbai.core.collection.synthetic import enterprise_workbook

FORM = "兰白统Q2表"
SIZES = (10_000, 100_000)
MAX_BYTES = 200_000_000


def calamine_alone(data: bytes, sheet: str) -> int:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(wb.get_sheet_by_name(sheet).to_python())


def lanbai_read(data: bytes, forms: dict) -> int:
    result = read_workbook(data, filename="bench.xlsx", forms=forms, expected_form=FORM, max_bytes=MAX_BYTES)
    if not result.ok:
        raise SystemExit(f"benchmark file refused: {result.problems[:3]}")
    return len(result.records)


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def child(path: str) -> None:
    """Run in a fresh process: read the file once, print the peak RSS in MB."""
    forms = load_forms(default_forms_dir())
    n = lanbai_read(Path(path).read_bytes(), forms)
    print(f"{n} {peak_rss_mb():.0f}")


def peak_rss_mb() -> float:
    """Peak resident memory of this process image in MB: VmHWM (reset by exec, unlike ru_maxrss,
    which a child started by fork + exec inherits from its parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    forms = load_forms(default_forms_dir())
    form = forms[FORM]
    ratios = []
    print(f"{'rows':>8} {'MB':>6} {'calamine s':>11} {'read_workbook s':>16} {'ratio':>6}")
    peak = None
    for n in SIZES:
        data = enterprise_workbook(form, n, seed=42)
        repeats = 3 if n <= 10_000 else 2
        lanbai_read(data, forms)  # warm-up
        t_cal = best_of(lambda d=data: calamine_alone(d, FORM), repeats)
        t_read = best_of(lambda d=data: lanbai_read(d, forms), repeats)
        ratio = t_read / t_cal
        ratios.append(ratio)
        print(f"{n:>8} {len(data) / 1e6:>6.1f} {t_cal:>11.3f} {t_read:>16.3f} {ratio:>6.2f}")
        if n == max(SIZES):
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
                fh.write(data)
                fh.flush()
                out = subprocess.run(
                    [sys.executable, __file__, "--child", fh.name], capture_output=True, text=True, check=True
                )
            rows, peak = out.stdout.split()
            print(f"peak memory reading {rows} rows in a fresh process: {peak} MB (goal < 1024 MB)")
    print(f"ratio: import_read {max(ratios):.2f} goal<=3")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
