"""Reading a catalogue spreadsheet at its limit (issue 15): bounded work for the largest sheet
accepted and for a sheet past the row limit.

    .venv/bin/python bench/catalogue_bench.py [--samples 7]

Cases, each on an .xlsx made in memory with openpyxl (11 columns, realistic cell lengths):
- read_sheet on 2,000 rows (MAX_ROWS), every row valid;
- read_sheet on 2,500 rows: it stops after row 2,001 (row limit);
- read_sheet on 20,000 rows: refused before parsing (more than 30 MB unpacked);
- floor: openpyxl alone streaming the 2,000-row sheet's cells (read-only), in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe  # noqa: E402
from webapp import catalogue as c  # noqa: E402


def sheet(rows: int) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(c.HEADERS))
    for i in range(rows):
        ws.append(["救灾", "灾后救助", f"事项{i:05d}", "救助对象、救助标准、救助资金发放情况" * 3,
                   "《自然灾害救助条例》第十九条；《政府信息公开条例》第二十条", "信息形成或变更之日起20个工作日内",
                   "县级应急管理部门", "政府网站、公开栏", "全社会", "主动", "县级、乡级"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def floor(data: bytes) -> int:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n


def median_ms(fn, samples: int) -> float:
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=7)
    samples = ap.parse_args().samples
    at_limit, past, huge = sheet(c.MAX_ROWS), sheet(c.MAX_ROWS + 500), sheet(10 * c.MAX_ROWS)
    assert len(c.read_sheet(at_limit).rows) == c.MAX_ROWS
    assert "最多" in str(c.read_sheet(past).problems[-1])
    assert "解压后过大" in str(c.read_sheet(huge).problems[0])
    base = median_ms(lambda: floor(at_limit), samples)
    rows = [("read_sheet, 2,000 valid rows", median_ms(lambda: c.read_sheet(at_limit), samples)),
            ("read_sheet, 2,500 rows (refused at row 2,001)", median_ms(lambda: c.read_sheet(past), samples)),
            ("read_sheet, 20,000 rows (refused: unpacked size)", median_ms(lambda: c.read_sheet(huge), samples)),
            ("floor: openpyxl streaming the 2,000-row sheet", base)]
    print(f"machine: {describe()}")
    print(f"files: {len(at_limit) // 1024} KiB (2,000 rows), {len(huge) // 1024} KiB (20,000 rows); "
          f"{samples} samples, medians")
    print("| case | median (ms) | ÷ floor |\n| --- | ---: | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} | {ms / base:.2f}× |")


if __name__ == "__main__":
    main()
