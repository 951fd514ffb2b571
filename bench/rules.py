"""How fast the posting rules judge comments, and what they cost in memory.

Run as `.venv/bin/python bench/rules.py`. It needs no database: the blocked
terms are the starter lexicon of comments/lexicon.py. Targets: at least 5,000
texts per second on one core, and less than 50 MB for loading the rules.
"""

import importlib.abc
import importlib.machinery
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from machine import cpu_model  # bench/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "comments" / "tests" / "data"
REPETITIONS = 5
SECONDS_PER_REPETITION = 3.0
RULES_FILES = ("comments/rules.py", "comments/lexicon.py")


def rss_mb():
    """Resident memory of this process now, from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pin_to_one_core():
    """Run on one core, so the figure is per core whatever the machine has."""
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    except (AttributeError, OSError):
        return None


class RulesImportMeter(importlib.abc.MetaPathFinder):
    """Measures RSS around the import of comments.rules, whoever imports it first.

    The admin imports the rules while Django sets up, so the import cannot be
    timed from here by importing it ourselves.
    """

    rss_gain = None

    def find_spec(self, name, path, target=None):
        if name != "comments.rules":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        exec_module = spec.loader.exec_module

        def measured(module):
            before = rss_mb()
            exec_module(module)
            RulesImportMeter.rss_gain = rss_mb() - before

        spec.loader.exec_module = measured
        return spec


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.site.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    return django


def test_sentences():
    texts = {}
    for path in sorted(DATA.glob("*.txt")):
        with open(path, encoding="utf-8") as f:
            texts[path.stem] = [line.rstrip("\n") for line in f if line.strip()]
    return texts


def texts_per_second(rules, texts, terms, cold):
    """One repetition: judge the texts over and over for a few seconds."""
    judged = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < SECONDS_PER_REPETITION:
        if cold:
            rules.clear_memos(terms)
        for text in texts:
            rules.check_comment(text, terms=terms)
        judged += len(texts)
    return judged / elapsed


def report_rate(label, rules, texts, terms, cold=False):
    rates = [texts_per_second(rules, texts, terms, cold) for _ in range(REPETITIONS)]
    median = statistics.median(rates)
    print(
        f"  {label}: median {median:,.0f} texts/s "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f}; {len(texts)} texts)"
    )
    return median


def allocations_of_the_rules():
    """Run in a child: bytes that Python allocated from rules.py and lexicon.py."""
    tracemalloc.start(25)
    setup_django()
    from comments import rules

    rules.check_comment("سلام، حقوق این ماه کی واریز می‌شود؟", terms=rules.starter_terms())
    snapshot = tracemalloc.take_snapshot()
    print(
        sum(
            trace.size
            for trace in snapshot.traces
            if any(frame.filename.endswith(RULES_FILES) for frame in trace.traceback)
        )
    )


def main():
    core = pin_to_one_core()
    print(f"machine: nproc {os.cpu_count()}, CPU {cpu_model()}")
    print(f"python {platform.python_version()}, pinned to core {core}")

    rss_bare = rss_mb()
    sys.meta_path.insert(0, RulesImportMeter())
    django = setup_django()
    rss_django = rss_mb()
    from comments import rules

    terms = rules.starter_terms()
    texts = test_sentences()
    rules.check_comment(texts["clean"][0], terms=terms)
    rss_first_check = rss_mb()
    print(f"django {django.get_version()}, {len(terms)} blocked terms (the starter lexicon)")

    child = subprocess.run(
        [sys.executable, __file__, "--allocations"], capture_output=True, text=True, check=True
    )
    rules_bytes = int(child.stdout.split()[-1])
    rules_rss = (RulesImportMeter.rss_gain or 0.0) + (rss_first_check - rss_django)
    print("memory (VmRSS):")
    print(f"  bare interpreter {rss_bare:.1f} MB; after django.setup() {rss_django:.1f} MB")
    print(f"  importing comments.rules (with lexicon): +{RulesImportMeter.rss_gain:.1f} MB")
    print(f"  first check (terms compiled, memos started): +{rss_first_check - rss_django:.1f} MB")
    print(f"  the rules in all: +{rules_rss:.1f} MB")
    print(f"  Python allocations from rules.py and lexicon.py: {rules_bytes / 2**20:.2f} MB")

    everything = [text for group in texts.values() for text in group]
    print(f"throughput, {REPETITIONS} repetitions of {SECONDS_PER_REPETITION:.0f} s each:")
    median = report_rate("all test sentences", rules, everything, terms)
    report_rate("all test sentences, memos cleared each pass", rules, everything, terms, True)
    report_rate("clean sentences only (every check runs)", rules, texts["clean"], terms)
    report_rate("clean sentences, memos cleared each pass", rules, texts["clean"], terms, True)
    rss_end = rss_mb()
    print(f"  RSS after the runs: {rss_end:.1f} MB ({rss_end - rss_django:+.1f} MB since setup)")
    print(f"target >= 5,000 texts/s: {'met' if median >= 5000 else 'NOT met'}")
    print(f"target < 50 MB for the rules: {'met' if rules_rss < 50 else 'NOT met'}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--allocations"]:
        allocations_of_the_rules()
    else:
        main()
