#!/usr/bin/env python3
"""Reads one VSTest .trx file and prints its counts for tools/test.sh.

Output: first line `passed failed skipped total`, then one line per failed test name.
Failed counts errors, timeouts and aborts too; skipped counts every other outcome (NotExecuted...).
Exits 1 when the file cannot be read or has no summary (a run cut short can leave a truncated file).
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(path: str) -> int:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return 1
    if root.find("t:ResultSummary", NS) is None:
        print(f"{path} has no result summary", file=sys.stderr)
        return 1
    passed = failed = skipped = 0
    failed_names = []
    # Counted from the results: the Counters element leaves skipped tests out of notExecuted.
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        outcome = result.get("outcome", "")
        if outcome in ("Passed", "PassedButRunAborted"):
            passed += 1
        elif outcome in ("Failed", "Error", "Timeout", "Aborted"):
            failed += 1
            failed_names.append(result.get("testName", "?"))
        else:
            skipped += 1
    print(passed, failed, skipped, passed + failed + skipped)
    for name in failed_names:
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
