#!/usr/bin/env python3
"""Checks the CI recipes in docs/ci.md: each YAML block parses and has the shape its
service expects, and every command in it runs against a real repository here, with the
built sasguard in place of `cargo install` and each service's variables filled in.

The repository has a clean `main` on an `origin` remote and a pull request branch whose
first commit adds a synthetic token and whose second deletes it: the tree is clean, the
pull request's commits and the whole history are not.

Usage: scripts/ci-docs-check.py [path to the sasguard binary]
Prints `N passed, M failed`; exits 1 when anything failed.
"""

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not detail else f": {detail}"))


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="ci", GIT_AUTHOR_EMAIL="ci@example.com",
               GIT_COMMITTER_NAME="ci", GIT_COMMITTER_EMAIL="ci@example.com")
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True)


def repository(tmp: Path) -> Path:
    origin, work = tmp / "origin.git", tmp / "work"
    git(tmp, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp, "init", "-q", "-b", "main", str(work))
    (work / "app.py").write_text("print('hello')\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "start")
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    git(work, "fetch", "-q", "origin")
    git(work, "checkout", "-q", "-b", "feature")
    sig = base64.b64encode(secrets.token_bytes(32)).decode().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    (work / "models.py").write_text(
        'URL = "https://acct.blob.core.windows.net/models?sv=2022-11-02&ss=b&srt=sco&sp=rwdl'
        f'&se=2051-01-01T00:00:00Z&spr=https&sig={sig}"\n'
    )
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "add the models link")
    (work / "models.py").unlink()
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "remove it again")
    return work


def run(command: str, cwd: Path, env: dict, subs: dict) -> subprocess.CompletedProcess:
    for k, v in subs.items():
        command = command.replace(k, v)
    return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)


def sarif_results(path: Path) -> int:
    v = json.loads(path.read_text())
    return sum(len(r["results"]) for r in v["runs"])


def main():
    binary = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "debug" / "sasguard").resolve()
    if not binary.exists():
        print(f"FAIL no sasguard binary at {binary}: cargo build first")
        print("0 passed, 1 failed")
        return 1
    text = (ROOT / "docs" / "ci.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    check("docs/ci.md has two YAML recipes", len(blocks) == 2, f"{len(blocks)} found")
    docs = []
    for i, b in enumerate(blocks):
        try:
            docs.append(yaml.safe_load(b))
            check(f"recipe {i + 1} parses", True)
        except yaml.YAMLError as e:
            check(f"recipe {i + 1} parses", False, str(e))
    gh = next((d for d in docs if isinstance(d, dict) and "jobs" in d), None)
    az = next((d for d in docs if isinstance(d, dict) and "pool" in d), None)
    check("a GitHub Actions workflow", gh is not None)
    check("an Azure Pipelines pipeline", az is not None)
    if gh is None or az is None:
        return finish()
    # PyYAML reads the key `on` as true (YAML 1.1); GitHub reads it as `on`.
    triggers = gh.get("on", gh.get(True, {}))
    check("GitHub: runs on pull requests and on a schedule", "pull_request" in triggers and "schedule" in triggers)
    steps = [s for job in gh["jobs"].values() for s in job["steps"]]
    check("GitHub: every step runs or uses something", all("run" in s or "uses" in s for s in steps))
    check("GitHub: the whole history is fetched", all(
        any(s.get("with", {}).get("fetch-depth") == 0 for s in job["steps"]) for job in gh["jobs"].values()))
    check("GitHub: SARIF uploaded with a category each",
          all(s.get("with", {}).get("category") for s in steps if "upload-sarif" in s.get("uses", "")))
    check("Azure: pull requests and a schedule", "pr" in az and "schedules" in az)
    check("Azure: every step is a checkout, script or task", all({"checkout", "script", "task"} & set(s) for s in az["steps"]))
    check("Azure: the whole history is fetched", any(s.get("fetchDepth") == 0 for s in az["steps"]))

    tmp = Path(tempfile.mkdtemp(prefix="sasguard-ci-docs-"))
    try:
        work = repository(tmp)
        bindir = tmp / "bin"
        bindir.mkdir()
        shutil.copy(binary, bindir / "sasguard")
        # `cargo install …` stands for getting sasguard: here it is already built.
        (bindir / "cargo").write_text('#!/bin/sh\n[ "$1" = install ] || { echo "cargo $*: not stubbed" >&2; exit 3; }\n')
        (bindir / "cargo").chmod(0o755)
        staging = tmp / "staging"
        staging.mkdir()
        env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}", NO_COLOR="1",
                   SYSTEM_PULLREQUEST_TARGETBRANCH="refs/heads/main")
        subs = {"${{ github.base_ref }}": "main", "$(Build.ArtifactStagingDirectory)": str(staging)}
        expect = {  # output file: findings expected in it
            "sasguard.sarif": 0,
            "sasguard-commits.sarif": 1,
            "sasguard-history.sarif": 1,
        }
        for service, commands in (
            ("GitHub", [s["run"] for s in steps if "run" in s]),
            ("Azure", [s["script"] for s in az["steps"] if "script" in s]),
        ):
            for command in commands:
                for f in list(work.glob("*.sarif")) + list(staging.rglob("*.sarif")):
                    f.unlink()
                p = run(command, work, env, subs)
                first = command.strip().splitlines()[-1][:70]
                findings = "sasguard check" in command and ("--history" in command)
                check(f"{service}: `{first}` runs (exit {p.returncode})",
                      p.returncode == (1 if findings else 0), p.stderr.strip()[-300:])
                for f in list(work.glob("*.sarif")) + list(staging.rglob("*.sarif")):
                    n = sarif_results(f)
                    check(f"{service}: {f.name} holds {n} result(s)", n == expect.get(f.name, -1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


def finish():
    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
