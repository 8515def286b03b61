"""Start time and memory of the release app next to an empty Tauri window (the floor).

Run by `make measure` under Xvfb. Each app is started five times (after one warm-up), alternating;
"interactive" is the time from spawning the process to the line the app prints once its page is
drawn and takes input (Wijkkompas: the case map with its markers). Memory is the resident set of
the app and every process it started (WebKit's web and network processes) after 10 s idle.
Goals (issue 6): start ≤ 1.3× the floor, memory ≤ the floor + 60 MB."""
import json
import os
import pathlib
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = {"floor": ROOT / "target/release/wijkkompas-floor", "wijkkompas": ROOT / "target/release/wijkkompas-app"}
RUNS = int(os.environ.get("MEASURE_RUNS", "5"))
IDLE_SECONDS = 10
MARK = re.compile(rb"wijkkompas-measure: interactive after ([0-9.]+) ms")


def descendants(pid):
    children = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def rss_kib(pid):
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(binary):
    home = tempfile.mkdtemp(prefix="wijkkompas-measure-")
    env = dict(os.environ, WIJKKOMPAS_DB=os.path.join(home, "wijkkompas.db"), HOME=home, XDG_DATA_HOME=home)
    start = time.perf_counter()
    proc = subprocess.Popen([str(binary)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        interactive = None
        deadline = start + 60
        while time.perf_counter() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if MARK.search(line):
                interactive = (time.perf_counter() - start) * 1000
                break
        if interactive is None:
            raise RuntimeError(f"{binary.name} never reported that it was interactive")
        time.sleep(IDLE_SECONDS)
        memory = sum(rss_kib(p) for p in descendants(proc.pid)) / 1024
        return interactive, memory
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def main():
    for name, binary in APPS.items():
        if not binary.exists():
            sys.exit(f"{binary} is missing: run `make measure`, which builds it")
    for binary in APPS.values():
        run_once(binary)  # warm-up: file caches, fontconfig
    results = {name: [] for name in APPS}
    for _ in range(RUNS):
        for name, binary in APPS.items():
            results[name].append(run_once(binary))
    summary = {}
    for name, runs in results.items():
        summary[name] = {
            "interactive_ms": statistics.median(r[0] for r in runs),
            "rss_mib": statistics.median(r[1] for r in runs),
            "runs": runs,
        }
    floor, app = summary["floor"], summary["wijkkompas"]
    start_ratio = app["interactive_ms"] / floor["interactive_ms"]
    extra_memory = app["rss_mib"] - floor["rss_mib"]
    print(f"{'':12} {'interactive':>12} {'memory (RSS, all processes)':>28}")
    for name in APPS:
        print(f"{name:12} {summary[name]['interactive_ms']:>9.0f} ms {summary[name]['rss_mib']:>25.1f} MiB")
    print(f"start: {start_ratio:.2f}× the floor (goal ≤ 1.3×); memory: floor + {extra_memory:.1f} MiB (goal ≤ + 60 MB)")
    out = ROOT / "target" / "measure.json"
    out.write_text(json.dumps({"summary": summary, "start_ratio": start_ratio, "extra_memory_mib": extra_memory}, indent=2))
    print(f"details: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
