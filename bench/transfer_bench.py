"""A transfer batch of N documents (issue 11): the 送交信息目录表 as .docx and .xlsx plus the BagIt
package (public .docx, HTML and metadata per document, sha256 manifests, zipped), beside the floor
of copying the same payload files into a folder and hashing each once.

    PYTHONPATH=. python bench/transfer_bench.py                      # 500 documents, 5 rounds
    python bench/transfer_bench.py --documents 50 --rounds 1         # a quick run

The payload is realistic: per document a public .docx from the GB/T 9704 writer (~25 KB), the
public HTML (~6 KB) and a metadata JSON; the .docx of a policy with a 解读 twice.  What is timed
is `webapp.archives` (lists + `make_bag_zip`), the pure part of `services.transfers.create_batch`
(the database work around it is one INSERT per item and one audit event per document).
Figures: medians of the rounds and their ratio, measured in the same rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe  # noqa: E402


def _docx(i: int) -> bytes:
    from webapp.disclosure import Disclosure
    from webapp.docgen import OfficialDocument, build_docx

    return build_docx(OfficialDocument(
        issuer_mark="河南省应急管理厅文件", doc_number=f"豫应急办〔2026〕{i}号", title="关于做好汛期安全防范工作的通知",
        recipients="各市应急管理局", body_html="<p>" + f"做好第{i}批汛期安全防范工作。" * 60 + "</p>", attachments=(),
        signer="河南省应急管理厅", written_date=date(2026, 3, 2), disclosure=Disclosure.PUBLIC,
        printing_office="河南省应急管理厅办公室", print_date=date(2026, 3, 2), cc=""))


def payload(n: int):
    from webapp.archives import BagFile, ListRow

    docs = [_docx(i) for i in range(1, 6)]  # five distinct files, reused (content, not identity, matters)
    files, rows = [], []
    for i in range(1, n + 1):
        index_no = f"11410000MB0G6Y810Y/2026-{i:05d}"
        folder = index_no.replace("/", "-")
        html = ("<!DOCTYPE html><html><body>" + "<p>各地要做好汛期安全防范和救灾准备工作。</p>" * 100
                + "</body></html>").encode()
        meta = json.dumps({"索引号": index_no, "题名": f"关于做好第{i}批汛期安全防范工作的通知"}, ensure_ascii=False).encode()
        files += [BagFile(f"{folder}/正文.docx", docs[i % 5]), BagFile(f"{folder}/正文.html", html),
                  BagFile(f"{folder}/metadata.json", meta)]
        if i % 2:
            files.append(BagFile(f"{folder}/政策解读.docx", docs[(i + 1) % 5]))
        rows.append(ListRow(index_no, f"豫应急办〔2026〕{i}号", f"关于做好第{i}批汛期安全防范工作的通知", date(2026, 3, 2),
                            "河南省应急管理厅", "主动公开", 3, 1, "纸质、电子"))
    return files, rows


def run_batch(files, rows) -> int:
    from webapp.archives import ListHeader, build_list_docx, build_list_xlsx, make_bag_zip

    header = ListHeader("移交清单", "河南省应急管理厅", "河南省档案馆", "2026-01-001", date(2026, 3, 5), "周杰", "")
    docx, xlsx = build_list_docx(header, rows), build_list_xlsx(header, rows)
    bag = make_bag_zip(files, {"Source-Organization": "河南省应急管理厅", "Batch-Id": "2026-01-001",
                               "Index-Number": [r.index_no for r in rows], "Bagging-Date": "2026-03-05"}, top="t")
    return len(docx) + len(xlsx) + len(bag)


def floor(files) -> int:
    """Copy the same files into a fresh folder and hash each once."""
    with tempfile.TemporaryDirectory() as tmp:
        total = 0
        for f in files:
            target = Path(tmp, f.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
            with open(target, "rb") as fh:
                hashlib.sha256(fh.read()).hexdigest()
            total += len(f.data)
        shutil.rmtree(Path(tmp), ignore_errors=True)
        return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files, rows = payload(args.documents)
    size = sum(len(f.data) for f in files)
    batch_times, floor_times = [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        floor(files)
        floor_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        run_batch(files, rows)
        batch_times.append(time.perf_counter() - t)
    b, f = statistics.median(batch_times), statistics.median(floor_times)
    print(f"machine: {describe()}")
    print(f"documents: {args.documents}, payload files: {len(files)}, payload: {size / 1e6:.1f} MB, rounds: {args.rounds}")
    print(f"lists + BagIt zip: median {b:.2f} s; floor (copy + sha256 once): median {f:.2f} s; ratio {b / f:.2f}")


if __name__ == "__main__":
    main()
