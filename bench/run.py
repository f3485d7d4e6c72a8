#!/usr/bin/env python3
"""The benchmark driver behind `bench/run.sh` (which builds everything first and then runs this).

Runs every row of BENCHMARKS.md, ours and the peer's alternately in one run, several times each,
and writes the table with the machine, the versions and the date. Each process is timed from
spawn to exit (wall clock) under `/usr/bin/time`, which also gives its peak RSS.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OURS_CONSUMER = BENCH / "ours" / "consumer"
PEER_CONSUMER = BENCH / "peers" / "consumer"
BARE_LOOP = BENCH / "bare-loop"
RELEASE = ROOT / "target" / "release"
TIMEOUT = 180.0  # set from --timeout in main()


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Run:
    """One timed process: wall seconds (None when it timed out), peak RSS in KiB, exit code, and
    the CPU seconds (user + system) it and its children used."""

    def __init__(self, seconds, rss_kib, code, output, cpu=None):
        self.seconds, self.rss_kib, self.code, self.output, self.cpu = seconds, rss_kib, code, output, cpu

    @property
    def timed_out(self):
        return self.seconds is None


def timed(cmd, env=None, cwd=None, timeout=600.0):
    """Runs `cmd` under /usr/bin/time; returns a Run."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full_env = dict(os.environ)
        full_env.update(env or {})
        started = time.perf_counter()
        process = subprocess.Popen(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *map(str, cmd)],
            env=full_env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=timeout)
            seconds = time.perf_counter() - started
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return Run(None, None, None, output.decode(errors="replace"))
        last = (rss.read().strip().splitlines() or [""])[-1].split()
        rss_kib, cpu = None, None
        if len(last) == 3:
            rss_kib, cpu = int(last[0]), float(last[1]) + float(last[2])
        return Run(seconds, rss_kib, process.returncode, output.decode(errors="replace"), cpu)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_s(seconds):
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(r):
    return "—" if r is None else (f"{r:.1f}×" if r < 100 else f"{r:.0f}×")


def versus(peer, ours):
    """"N× faster" or "N× slower", ours against the peer."""
    r = ratio(peer, ours)
    return "—" if r is None else (f"{fmt_ratio(r)} faster" if r >= 1 else f"{fmt_ratio(1 / r)} slower")


def ratio(a, b):
    return a / b if a is not None and b else None


def alternate(sides, reps, label):
    """Runs each side's thunk `reps` times, alternating which goes first; returns side -> [Run].

    A side that times out is not run again in this row (its later runs would time out too).
    """
    results = {name: [] for name, _ in sides}
    dead = set()
    for rep in range(reps):
        order = sides if rep % 2 == 0 else list(reversed(sides))
        for name, thunk in order:
            if name in dead:
                continue
            run = thunk()
            results[name].append(run)
            status = "timed out" if run.timed_out else f"{run.seconds:.3f} s, exit {run.code}"
            log(f"  {label} [{name}] run {rep + 1}/{reps}: {status}")
            if run.timed_out:
                dead.add(name)
    return results


def sized_reps(reps, n):
    """Repetitions at size n: all of them up to 100, at most 3 at 1000, one at 10,000."""
    return reps if n <= 100 else min(reps, 3) if n <= 1000 else 1


def summary(runs):
    """(median wall seconds or None, timed-out flag, all exits zero, median RSS, median CPU seconds)."""
    ok = [r for r in runs if not r.timed_out]
    return (
        median([r.seconds for r in ok]),
        any(r.timed_out for r in runs),
        all(r.code == 0 for r in ok),
        median([r.rss_kib for r in ok]),
        median([r.cpu for r in ok]),
    )


# --------------------------------------------------------------------------------------------
# Builds


def cargo_test_binaries(crate_dir, target_dir=None):
    """Builds a crate's tests (debug, the user's shape) and returns {test target name: path}."""
    env = dict(os.environ)
    if target_dir:
        env["CARGO_TARGET_DIR"] = str(target_dir)
    out = subprocess.run(
        ["cargo", "test", "--no-run", "--message-format=json"],
        cwd=crate_dir,
        env=env,
        stdout=subprocess.PIPE,
        check=True,
    ).stdout.decode()
    binaries = {}
    for line in out.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if "test" in message["target"]["kind"]:
                binaries[message["target"]["name"]] = message["executable"]
    return binaries


def clean_build(crate_dir):
    """A clean `cargo test --no-run` in a fresh target dir: (Run, crates compiled)."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as target:
        subprocess.run(["cargo", "fetch", "--quiet"], cwd=crate_dir, check=True)
        run = timed(["cargo", "test", "--no-run"], env={"CARGO_TARGET_DIR": target}, cwd=crate_dir, timeout=3600)
        crates = len(re.findall(r"^\s*Compiling ", run.output, re.M))
        return run, crates


# --------------------------------------------------------------------------------------------
# The demo provider and pacts for the verify rows


class DemoService:
    def __init__(self):
        self.process = subprocess.Popen(
            [RELEASE / "demo-user-service", "--port", "0", "--enable-provider-states"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        line = self.process.stdout.readline().decode().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"demo-user-service did not start: {line!r}")
        self.url = line.removeprefix("listening on ")
        self.port = self.url.rsplit(":", 1)[1]
        self.states_url = f"{self.url}/_pact/provider_states"

    def stop(self):
        self.process.kill()
        self.process.wait()


def generate_pact(count, path):
    """`count` interactions, each with a provider state with parameters (as in
    pact-cli/benches/verify_throughput.rs)."""
    interactions = []
    for i in range(count):
        name = f"User{i}"
        admin = i % 2 == 0
        interactions.append(
            {
                "description": f"a request for {name}",
                "providerStates": [{"name": "a user exists", "params": {"name": name, "admin": admin}}],
                "request": {"method": "GET", "path": f"/users/{name}", "headers": {"Accept": "application/json"}},
                "response": {
                    "status": 200,
                    "body": {
                        "name": name,
                        "id": "fc763eba-0905-41c5-a27f-3934ab26786c",
                        "created_on": "2016-12-15T20:16:01",
                        "admin": admin,
                    },
                    "matchingRules": {
                        "body": {
                            "$.id": {"matchers": [{"match": "regex", "regex": "^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"}]},
                            "$.created_on": {"matchers": [{"match": "regex", "regex": "^\\d+-\\d+-\\d+T\\d+:\\d+:\\d+$"}]},
                            "$.admin": {"matchers": [{"match": "type"}]},
                        }
                    },
                },
            }
        )
    pact = {
        "consumer": {"name": "BenchConsumer"},
        "provider": {"name": "UserService"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    path.write_text(json.dumps(pact))


# --------------------------------------------------------------------------------------------
# Rows


class Report:
    def __init__(self):
        self.rows = []  # the main table
        self.sections = []  # extra markdown sections
        self.notes = []


def consumer_rows(report, args, ours_bins, peer_bins):
    reps = args.reps

    def consumer_run(binary, n=None, timeout=args.timeout):
        def thunk():
            with tempfile.TemporaryDirectory(prefix="bench-pacts-") as pacts:
                env = {"PACT_OUTPUT_DIR": pacts, "RUST_LOG": "off"}
                if n is not None:
                    env["BENCH_INTERACTIONS"] = str(n)
                return timed([binary, "--quiet"], env=env, timeout=timeout)

        return thunk

    # Row 1: the demo.
    res = alternate([("ours", consumer_run(ours_bins["demo"])), ("peer", consumer_run(peer_bins["demo"]))], reps, "demo")
    o, p = summary(res["ours"]), summary(res["peer"])
    report.rows.append(
        {
            "row": "consumer test of 2 interactions (the demo): the test binary, start to exit",
            "ours": o, "peer": p, "bare": None,
            "goal": "≤ the peer", "met": o[0] is not None and p[0] is not None and o[0] <= p[0],
            "issue_peer": "0.046 s", "runs": reps,
        }
    )

    # Scaling: one test declaring N interactions.
    scale = []
    dead = set()
    for n in args.consumer_sizes:
        n_reps = sized_reps(reps, n)
        sides = [(name, consumer_run(bins["scale"], n)) for name, bins in (("ours", ours_bins), ("peer", peer_bins)) if name not in dead]
        res = alternate(sides, n_reps, f"one test, {n} interactions")
        entry = {"n": n, "reps": n_reps}
        for name in ("ours", "peer"):
            if name in dead:
                entry[name] = "skipped"
            else:
                entry[name] = summary(res[name])
                if entry[name][1]:
                    dead.add(name)
        scale.append(entry)
    report.consumer_scale = scale
    hundred = next((e for e in scale if e["n"] == 100), None)
    if hundred:
        o, p = hundred["ours"], hundred["peer"]
        r = ratio(p[0], o[0]) if isinstance(p, tuple) and isinstance(o, tuple) else None
        report.rows.append(
            {
                "row": "one test declaring 100 interactions, each called once (same reqwest client on both sides)",
                "ours": o, "peer": p, "bare": None,
                "goal": "≥ 50× faster", "met": r is not None and r >= 50,
                "issue_peer": "7.9 s", "runs": hundred["reps"],
            }
        )

    # Row 3: 100 tests of one interaction each (the binary runs them on its default thread pool).
    res = alternate([("ours", consumer_run(ours_bins["many"])), ("peer", consumer_run(peer_bins["many"]))], reps, "100 tests")
    report.rows.append(
        {
            "row": "100 tests of 1 interaction each (one test binary, default test threads)",
            "ours": summary(res["ours"]), "peer": summary(res["peer"]), "bare": None,
            "goal": "—", "met": None, "issue_peer": "2.4 s", "runs": reps,
        }
    )


def build_row(report, args):
    if args.quick and not args.with_build:
        report.rows.append(
            {"row": "clean `cargo test --no-run` of a consumer-only crate", "skip": "not run by --quick (run without --quick, or with --with-build)",
             "goal": "≤ 1/3 of the peer", "issue_peer": "141–160 s, 336 crates"}
        )
        return
    results = {"ours": [], "peer": []}
    crates = {}
    order = [("peer", PEER_CONSUMER), ("ours", OURS_CONSUMER)]
    for rep in range(args.build_reps):
        for name, crate in (order if rep % 2 == 0 else list(reversed(order))):
            log(f"  clean build [{name}] run {rep + 1}/{args.build_reps} ...")
            run, count = clean_build(crate)
            log(f"  clean build [{name}]: {run.seconds:.1f} s, {count} crates, exit {run.code}")
            results[name].append(run)
            crates[name] = count
    o, p = summary(results["ours"]), summary(results["peer"])
    report.rows.append(
        {
            "row": f"clean `cargo test --no-run` of a consumer-only crate (the consumer crates above): ours {crates['ours']} crates, peer {crates['peer']} crates",
            "ours": o, "peer": p, "bare": None,
            "goal": "≤ 1/3 of the peer", "met": o[0] is not None and p[0] is not None and o[0] * 3 <= p[0],
            "issue_peer": "141–160 s, 336 crates", "runs": args.build_reps,
        }
    )
    report.build_crates = crates


def verify_rows(report, args, tools):
    service = DemoService()
    work = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    try:
        def ours(pact):
            return lambda: timed(
                [RELEASE / "pact", "verify", f"--provider-base-url={service.url}", f"--pact-url={pact}",
                 f"--provider-states-setup-url={service.states_url}"],
                env={"NO_COLOR": "1"}, timeout=args.timeout)

        def peer(pact):
            return lambda: timed(
                [*tools["peer_verifier"], "--hostname", "127.0.0.1", "--port", service.port, "-f", pact,
                 "--state-change-url", service.states_url, "--no-colour"],
                env={"PACT_DO_NOT_TRACK": "true"}, timeout=args.timeout)

        def bare(pact):
            return lambda: timed([tools["bare_loop"], pact, service.url, service.states_url], timeout=args.timeout)

        def three(pact, reps, label):
            res = alternate([("ours", ours(pact)), ("peer", peer(pact)), ("bare", bare(pact))], reps, label)
            return {k: summary(v) for k, v in res.items()}, res

        demo = ROOT / "tests" / "pacts" / "UserServiceClient-UserService.json"
        s, _ = three(demo, args.reps, "verify the demo")
        report.rows.append(
            {"row": "verify 2 interactions (the demo pact, its two provider states) against demo-user-service",
             "ours": s["ours"], "peer": s["peer"], "bare": s["bare"], "goal": "—", "met": None, "issue_peer": "—", "runs": args.reps}
        )

        scale = []
        for n in args.verify_sizes:
            pact = work / f"BenchConsumer-UserService-{n}.json"
            generate_pact(n, pact)
            n_reps = sized_reps(args.reps, n)
            s, raw = three(pact, n_reps, f"verify {n} interactions")
            scale.append({"n": n, "reps": n_reps, **s})
            if n == 1000:
                o, p, b = s["ours"], s["peer"], s["bare"]
                met = (o[0] is not None and p[0] is not None and b[0] is not None and p[0] >= 10 * o[0] and o[0] <= 1.5 * b[0])
                report.rows.append(
                    {"row": "verify 1000 interactions with provider states against demo-user-service",
                     "ours": o, "peer": p, "bare": b,
                     "goal": "≥ 10× faster than the peer, ≤ 1.5× the bare reqwest loop", "met": met,
                     "issue_peer": "8.0 s", "runs": n_reps}
                )
                report.memory_verify = (o[3], p[3], b[3])
        report.verify_scale = scale
    finally:
        service.stop()
        shutil.rmtree(work, ignore_errors=True)


def matching_row(report, args):
    extra = ["--warm-up-time", "1", "--measurement-time", "3"] if args.quick else []
    out = subprocess.run(
        ["cargo", "bench", "-p", "pact-core", "--bench", "matching", "--", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True,
    ).stdout.decode()
    m = re.search(r"time:\s+\[([\d.]+ \S+) ([\d.]+ \S+) ([\d.]+ \S+)\]", out)
    t = re.search(r"thrpt:\s+\[([\d.]+ \S+) ([\d.]+ \S+) ([\d.]+ \S+)\]", out)
    report.matching = (m.group(2) if m else "not parsed", t.group(2) if t else "")
    report.rows.append(
        {"row": "matching: a 1 MB JSON body against 200 rules (`match_response`, criterion, release)",
         "text": f"{report.matching[0]} per match ({report.matching[1]}); no peer in this run", "goal": "—"}
    )


def broker_rows(report, args):
    env = dict(os.environ, PACT_BENCH_REQUESTS=str(args.broker_requests))
    cmd = ["cargo", "bench", "-p", "pact-broker", "--bench", "load", "--"]
    if args.quick:
        cmd.append("sqlite")
    out = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=True).stdout.decode()
    lines = []
    rss = {}
    for line in out.splitlines():
        parts = line.split()
        # backend, operation, clients, p50, p99, max, req/s, broker µs, client µs
        if len(parts) == 9 and parts[0] in ("sqlite", "postgres") and parts[2].isdigit():
            lines.append(parts)
        m = re.match(r"(sqlite|postgres) broker peak RSS: (\d+) KiB", line)
        if m:
            rss[m.group(1)] = int(m.group(2))
    report.broker_lines = lines
    report.broker_rss = rss
    at50 = [p for p in lines if p[0] == "sqlite" and p[2] == "50"]
    worst = max((float(p[4]) for p in at50), default=None)
    text = "; ".join(f"{p[0]} {p[1]} p50 {p[3]} ms, p99 {p[4]} ms" for p in lines if p[2] == "50")
    report.rows.append(
        {"row": f"broker: publish and pacts-for-verification at 50 concurrent clients ({args.broker_requests} requests per row)",
         "text": text or "no output parsed", "goal": "p99 < 20 ms on SQLite",
         "met": worst is not None and worst < 20}
    )


def broker_client_row(report, args, tools):
    with tempfile.TemporaryDirectory(prefix="bench-broker-") as dir:
        broker = subprocess.Popen(
            [RELEASE / "pact-broker", "--port", "0", "--database-url", str(Path(dir) / "broker.sqlite")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if not k.startswith("PACT_BROKER_")},
        )
        try:
            url = None
            for line in broker.stdout:
                line = line.decode().strip()
                if line.startswith("listening on "):
                    url = line.removeprefix("listening on ")
                    break
            if not url:
                raise SystemExit("pact-broker did not start")
            demo = ROOT / "tests" / "pacts" / "UserServiceClient-UserService.json"
            counter = iter(range(1, 1_000_000))

            def ours():
                return timed([RELEASE / "pact", "publish", demo, "-a", f"1.0.{next(counter)}", "--branch", "main", "-b", url], env={"NO_COLOR": "1"}, timeout=120)

            def peer():
                return timed([tools["official"], "broker", "publish", demo, "-a", f"1.0.{next(counter)}", "--branch", "main", "-b", url],
                             env={"PACT_DO_NOT_TRACK": "true"}, timeout=120)

            res = alternate([("ours", ours), ("peer", peer)], args.reps, "publish to our broker")
            report.rows.append(
                {"row": "client: publish the demo pact to our broker (SQLite): `pact publish` vs the official `pact broker publish` (pact-broker-cli)",
                 "ours": summary(res["ours"]), "peer": summary(res["peer"]), "bare": None, "goal": "—", "met": None, "issue_peer": "—", "runs": args.reps}
            )
        finally:
            broker.kill()
            broker.wait()


# --------------------------------------------------------------------------------------------
# Output


def version_of(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout.decode().strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        return f"unknown ({e})"


def locked_version(lock, name):
    text = lock.read_text() if lock.exists() else ""
    m = re.search(r'name = "' + re.escape(name) + r'"\nversion = "([^"]+)"', text)
    return m.group(1) if m else "unknown"


def cell(s):
    if s is None:
        return "—"
    if s == "skipped":
        return "not run (timed out at a smaller size)"
    seconds, timed_out, ok, _, cpu = s
    if timed_out and seconds is None:
        return f"timed out after {TIMEOUT:.0f} s"
    text = fmt_s(seconds)
    if cpu is not None:
        text += f" (cpu {fmt_s(cpu)})"
    if timed_out:
        text += " (some runs timed out)"
    if not ok:
        text += " (exit ≠ 0!)"
    return text


def write(report, args, tools, started_at, load_start, command):
    load_end = loadavg()
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "unknown")
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE).stdout.decode().strip()
    out = []
    w = out.append
    w("# Benchmarks\n")
    w(f"Written by `{command}` on {started_at:%Y-%m-%d %H:%M} UTC"
      f" ({'a --quick run: small sizes, one repetition' if args.quick else f'a full run: {args.reps} repetitions per row, fewer at 1000 and 10,000, as the tables say'}).")
    w("Every row runs ours and the peer alternately in the same run on the same machine and reports the median")
    w("of the wall time of the whole process, and in brackets its CPU time (user + system, its children included).")
    w("On a busy machine the wall time mostly measures waiting for a core; the CPU time is the steadier figure.")
    w("Reproduce with `bench/run.sh` (the full run) or `bench/run.sh --quick` (a few minutes).\n")
    w("## Machine and versions\n")
    w(f"- CPU: {cpu}, `nproc` = {os.cpu_count()}; load average (1, 5, 15 min) at the start: {load_start}, at the end: {load_end}")
    w("  (other builds were running on the machine: the load average says how busy it was; alternation keeps the ratios fair)")
    w(f"- ours: this repository at `{rev}`; {version_of(['rustc', '--version'])}; consumer rows: debug test binaries; `pact`, `demo-user-service`, `pact-broker`: release")
    w(f"- peer consumer: pact_consumer {locked_version(PEER_CONSUMER / 'Cargo.lock', 'pact_consumer')} from crates.io (bench/peers/consumer, debug test binaries)")
    peer_verifier = " ".join(tools["peer_verifier"])
    w(f"- peer verifier: `{peer_verifier}` (`{version_of([*tools['peer_verifier'], '--version'])}`)"
      + (" (pact_verifier_cli from crates.io, `cargo install` into bench/peers/tools)" if "bench/peers/tools" in peer_verifier
         else " (BENCH_PEER_VERIFIER: not the pact_verifier_cli 1.4 that bench/run.sh builds by default)"))
    w(f"- peer broker client: the official consolidated CLI's `pact broker` (`{version_of([tools['official'], 'broker', '--version'])}`), from `scripts/official-tools.sh`")
    w(f"- client in the consumer rows: reqwest {locked_version(OURS_CONSUMER / 'Cargo.lock', 'reqwest')} on both sides (bench/shared/user_client.rs, the same file)\n")
    w("## Results\n")
    w("| row | ours | peer | ours vs peer | bare reqwest loop | goal | met? | peer figure in the issue |")
    w("|---|---|---|---|---|---|---|---|")
    for r in report.rows:
        met = r.get("met")
        met_text = "—" if met is None else ("**met**" if met else "**not met**")
        if "skip" in r:
            w(f"| {r['row']} | {r['skip']} | | | | {r['goal']} | not measured | {r['issue_peer']} |")
        elif "text" in r:
            w(f"| {r['row']} | {r['text']} | | | | {r['goal']} | {met_text} | — |")
        else:
            o, p = r["ours"], r["peer"]
            om = o[0] if isinstance(o, tuple) else None
            pm = p[0] if isinstance(p, tuple) else None
            vs = versus(pm, om)
            if isinstance(o, tuple) and isinstance(p, tuple) and o[4] and p[4]:
                vs += f" (cpu: {versus(p[4], o[4])})"
            bare = r.get("bare")
            bare_text = "—"
            if bare is not None and bare[0] is not None and om is not None:
                bare_text = f"{fmt_s(bare[0])} (ours = {om / bare[0]:.2f}× it)"
            w(f"| {r['row']} | {cell(o)} | {cell(p)} | {vs} | {bare_text} | {r['goal']} | {met_text} | {r['issue_peer']} |")
    w("")

    if getattr(report, "consumer_scale", None):
        w("## Consumer: one test declaring N interactions, each called once\n")
        w(f"Debug test binaries, the same reqwest client on both sides. Timeout {args.timeout:.0f} s per run; a side that times out is not run at larger sizes.\n")
        w("| N | runs | ours | ours per interaction | ours growth vs previous N (wall; cpu) | peer | peer per interaction | ours vs peer (wall; cpu) |")
        w("|---|---|---|---|---|---|---|---|")
        prev = None
        for e in report.consumer_scale:
            o, p = e["ours"], e["peer"]
            om, oc = (o[0], o[4]) if isinstance(o, tuple) else (None, None)
            pm, pc = (p[0], p[4]) if isinstance(p, tuple) else (None, None)
            growth = "—"
            if prev is not None and om is not None and prev[1] is not None:
                growth = f"{om / prev[1]:.1f}×; {fmt_ratio(ratio(oc, prev[2]))} for {e['n'] // prev[0]}× the interactions"
            w(f"| {e['n']} | {e['reps']} | {cell(o)} | {fmt_s(om / e['n']) if om else '—'} | {growth} | {cell(p)} | {fmt_s(pm / e['n']) if pm else '—'} | {versus(pm, om)}; {versus(pc, oc)} |")
            prev = (e["n"], om, oc)
        w("")

    if getattr(report, "verify_scale", None):
        w("## Verify: N interactions, each with a provider state, against demo-user-service\n")
        w("Ours: `pact verify` (release). Peer: pact_verifier_cli. Bare: a reqwest loop making the same calls (state setup, request) without checks (bench/bare-loop).\n")
        w("| N | runs | ours | ours growth vs previous N (wall; cpu) | peer | bare loop | ours vs peer (wall; cpu) | ours / bare (wall) |")
        w("|---|---|---|---|---|---|---|---|")
        prev = None
        for e in report.verify_scale:
            o, p, b = e["ours"], e["peer"], e["bare"]
            growth = "—"
            if prev is not None and o[0] is not None and prev[1] is not None:
                growth = f"{o[0] / prev[1]:.1f}×; {fmt_ratio(ratio(o[4], prev[2]))} for {e['n'] // prev[0]}×"
            w(f"| {e['n']} | {e['reps']} | {cell(o)} | {growth} | {cell(p)} | {cell(b)} | {versus(p[0], o[0])}; {versus(p[4], o[4])} | {'—' if not b[0] or o[0] is None else f'{o[0] / b[0]:.2f}×'} |")
            prev = (e["n"], o[0], o[4])
        w("")

    w("## Memory (peak RSS)\n")
    mv = getattr(report, "memory_verify", None)
    if mv:
        kib = lambda v: "—" if v is None else f"{v / 1024:.1f} MiB"  # noqa: E731
        w(f"- `pact verify` on 1000 interactions: {kib(mv[0])} (pact_verifier_cli: {kib(mv[1])}; bare loop: {kib(mv[2])}), median of the verify runs, `/usr/bin/time -f %M`.")
    else:
        w("- `pact verify` on 1000 interactions: not measured in this run (the verify sizes did not include 1000).")
    rss = getattr(report, "broker_rss", {})
    if rss:
        w("- `pact-broker` under the load row (VmHWM of the broker process when the row ends): "
          + ", ".join(f"{k} {v / 1024:.1f} MiB" for k, v in rss.items()) + ".")
    w("")
    if getattr(report, "broker_lines", None):
        w("## Broker load (pact-broker/benches/load.rs)\n")
        w(f"A release `pact-broker` process, closed-loop clients, {args.broker_requests} requests per row after a warm-up.\n")
        w("| backend | operation | clients | p50 ms | p99 ms | max ms | req/s | broker µs | client µs |")
        w("|---|---|---|---|---|---|---|---|---|")
        for p in report.broker_lines:
            w("| " + " | ".join(p) + " |")
        w("")
    if report.notes:
        w("## Notes\n")
        for n in report.notes:
            w(f"- {n}")
        w("")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(out))
    log(f"wrote {ROOT / 'BENCHMARKS.md'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (consumer 10 and 100, verify up to 1000), one repetition, no clean-build row")
    parser.add_argument("--with-build", action="store_true", help="with --quick: still run the clean-build row")
    parser.add_argument("--rows", default="consumer,build,verify,matching,broker,client", help="comma-separated rows to run")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per row (default 5; 1 with --quick)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before one run counts as timed out (default 180; 120 with --quick)")
    parser.add_argument("--peer-verifier", required=True, help="the peer verifier's command (split like a shell)")
    parser.add_argument("--official-cli", required=True)
    parser.add_argument("--bare-loop", required=True)
    args = parser.parse_args()
    given = " ".join(f"--{name} {value:g}" if isinstance(value, float) else f"--{name} {value}"
                     for name, value in (("reps", args.reps), ("timeout", args.timeout)) if value is not None)
    args.reps = args.reps or (1 if args.quick else 5)
    args.timeout = args.timeout or (120.0 if args.quick else 180.0)
    global TIMEOUT
    TIMEOUT = args.timeout
    args.consumer_sizes = [10, 100] if args.quick else [10, 100, 1000, 10000]
    args.verify_sizes = [10, 100, 1000] if args.quick else [10, 100, 1000, 10000]
    args.build_reps = 1
    args.broker_requests = 200 if args.quick else 1000
    rows = set(args.rows.split(","))
    tools = {"peer_verifier": shlex.split(args.peer_verifier), "official": args.official_cli, "bare_loop": args.bare_loop}
    command = ("" if "bench/peers/tools" in args.peer_verifier else "BENCH_PEER_VERIFIER=\"$(bash scripts/official-tools.sh | tail -n 1) verifier\" ") + "bench/run.sh" + (" --quick" if args.quick else "") + ("" if args.rows == parser.get_default("rows") else f" --rows {args.rows}") + (f" {given}" if given else "")

    started_at = datetime.datetime.now(datetime.timezone.utc)
    load_start = loadavg()
    report = Report()
    log(f"benchmarks: load average {load_start}")
    spawn = median([timed(["true"]).seconds for _ in range(5)])
    report.notes.append(
        f"Every figure is a whole process from spawn to exit, timed by this driver through `/usr/bin/time`; "
        f"spawning `true` that way took {fmt_s(spawn)} (median of 5) on this machine in this run, "
        f"and that overhead is in every figure on both sides."
    )
    report.notes.append(
        "Consumer rows: both sides write their pact into a fresh `PACT_OUTPUT_DIR` per run; both test binaries "
        "are debug builds run with libtest's defaults (tests in parallel on `nproc` threads)."
    )
    report.notes.append(
        "Verify rows: the CPU time is the verifier's process only; the provider (demo-user-service, release, one "
        "process for the whole row) is not counted on either side."
    )
    report.notes.append(
        "Rows without a peer: matching (pact-core/benches/matching.rs, criterion) and the broker load "
        "(pact-broker/benches/load.rs): the issue gives them no peer figure."
    )
    if "consumer" in rows:
        log("building the consumer test binaries (debug, the user's shape)")
        ours_bins = cargo_test_binaries(OURS_CONSUMER)
        peer_bins = cargo_test_binaries(PEER_CONSUMER, BENCH / "peers" / "target")
        consumer_rows(report, args, ours_bins, peer_bins)
    if "build" in rows:
        build_row(report, args)
    if "verify" in rows:
        verify_rows(report, args, tools)
    if "matching" in rows:
        matching_row(report, args)
    if "broker" in rows:
        broker_rows(report, args)
    if "client" in rows:
        broker_client_row(report, args, tools)
    skipped = [r for r in parser.get_default("rows").split(",") if r not in rows]
    if skipped:
        report.notes.append(f"Rows not run in this run (`--rows`): {', '.join(skipped)}.")
    write(report, args, tools, started_at, load_start, command)


if __name__ == "__main__":
    main()
