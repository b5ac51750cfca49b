"""The long fuzzing run: every reader for a time budget, new findings minimised and kept.

    python fuzz/run.py [--minutes 5] [--reader ris ...] [--seed N] [--no-save]

For each reader in turn (one process, one core), Hypothesis draws inputs from the
generators of tests/fuzz_support.py (structure-aware ones and byte-level mutations of
the real example files) and runs each through the oracle there: the reader, every
writer, each output read back by its own reader, HTML parsed; every 200 BibTeX
outputs go through real ``bibtex``. An input that takes longer than --timeout seconds
is a hang.

A new bug (a new signature: exception and where it was raised, or the stage and the
problem) is shrunk by Hypothesis to a minimal input, which is written to
tests/fuzz_corpus/READER/ (replayed by tests/test_fuzz.py from then on); inputs that
hit a bug already found are counted, not kept. At the end a table says, per reader,
how long it ran, how many inputs it tried and what it found.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzz_support as fs
from hypothesis import HealthCheck, Phase, given, seed, settings

BATCH = 500  # inputs per Hypothesis run; a run stops early at a new finding
BIBTEX_BATCH = 200
# Hypothesis shrinks a new finding this long; fs.minimise then cuts it down further
SHRINK_SECONDS = 60


class Hang(Exception):
    pass


def _alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise Hang


class ReaderRun:
    """The state of one reader's fuzzing: counts, bugs found, inputs to check with bibtex."""

    def __init__(self, reader: str, timeout: int, save: bool, known: set[str]):
        self.reader = reader
        self.timeout = timeout
        self.save = save
        self.inputs = 0
        self.items = 0
        self.hits: Counter[str] = Counter()  # slug of a bug → inputs of this reader hitting it
        self.examples: dict[str, fs.Finding] = {}
        self.saved: list[Path] = []
        self.bibtex_pending: list[tuple[str, bytes]] = []
        self.hunting: str | None = None  # the new bug Hypothesis is shrinking
        self.hunt_deadline = 0.0
        self.smallest: bytes | None = None
        # bugs kept earlier, from any reader (a writer's bug shows through every reader),
        # are counted, not hunted again
        self.known = known

    def one(self, data: bytes) -> None:
        self.inputs += 1
        outputs: list[str] = []
        signal.alarm(self.timeout)
        try:
            self.items += fs.check(self.reader, data, bibtex_outputs=outputs)
        except Hang:
            finding = fs.Finding("hang", f"more than {self.timeout} s", f"hang {self.reader}")
        except fs.Finding as found:
            finding = found
        else:
            finding = None
        finally:
            signal.alarm(0)
        self.bibtex_pending += [(text, data) for text in outputs]
        if finding is None:
            return
        slug = finding.slug
        if slug in self.known and slug != self.hunting:
            self.hits[slug] += 1
            return
        if self.hunting is None:
            self.hunting = slug
            self.examples[slug] = finding
            self.hunt_deadline = time.monotonic() + SHRINK_SECONDS
        if slug == self.hunting and time.monotonic() < self.hunt_deadline:
            self.smallest = data
            raise finding

    def batch(self, seed_value: int, deadline: float) -> None:
        @seed(seed_value)
        @settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            print_blob=False,
        )
        @given(fs.inputs(self.reader))
        def target(data: bytes) -> None:
            if time.monotonic() > deadline and self.hunting is None:
                return
            self.one(data)

        # the finding being hunted, shrunk (or, when shrinking ran out of time, reported
        # by Hypothesis as flaky): its smallest input is kept below
        with contextlib.suppress(Exception):
            target()
        if self.hunting is not None and self.smallest is not None:
            finding = self.examples[self.hunting]
            signature = finding.signature
            smallest = fs.minimise(
                self.smallest, lambda d: fs.signature_of(self.reader, d) == signature
            )
            if self.save:
                self.saved.append(fs.save_finding(self.reader, smallest, finding))
            self.known.add(self.hunting)
            self.hits[self.hunting] += 1
            print(f"  NEW {finding.signature}: {finding.problem.splitlines()[0][:160]}", flush=True)
        self.hunting, self.smallest = None, None
        if len(self.bibtex_pending) >= BIBTEX_BATCH:
            self.check_bibtex()

    def check_bibtex(self) -> None:
        pending, self.bibtex_pending = self.bibtex_pending, []
        origin = dict(pending)
        for text, complaint in fs.bibtex_errors([text for text, _ in pending]):
            finding = fs.bibtex_finding(complaint)
            slug = finding.slug
            if slug not in self.known:
                print(f"  NEW {finding.signature}", flush=True)
                self.examples[slug] = finding
                if self.save:
                    smallest = fs.minimise(
                        origin[text],
                        lambda d, slug=slug: slug in fs.bibtex_slugs(self.reader, d),
                        seconds=60,
                    )
                    self.saved.append(fs.save_finding(self.reader, smallest, finding))
            self.known.add(slug)
            self.hits[slug] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="budget per reader")
    parser.add_argument("--reader", action="append", choices=fs.READERS)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--timeout", type=int, default=20, help="seconds before an input hangs")
    parser.add_argument("--no-save", action="store_true", help="do not write to the corpus")
    parser.add_argument("--stats", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(args.seed)
    figures = []
    known = {path.stem.rsplit("-", 1)[0] for path in fs.corpus_files()}
    for reader in args.reader or fs.READERS:
        run = ReaderRun(reader, args.timeout, save=not args.no_save, known=known)
        print(f"{reader}: {args.minutes:g} min", flush=True)
        started = time.monotonic()
        deadline = started + args.minutes * 60
        while time.monotonic() < deadline:
            run.batch(rng.getrandbits(64), deadline)
        run.check_bibtex()
        elapsed = time.monotonic() - started
        figures.append(
            {
                "reader": reader,
                "seconds": round(elapsed),
                "inputs": run.inputs,
                "items": run.items,
                "findings": dict(run.hits),
                "saved": [str(p.relative_to(fs.ROOT)) for p in run.saved],
            }
        )
        print(f"  {run.inputs:,} inputs ({run.inputs / elapsed:.0f}/s), {run.items:,} items")
    print(f"\n{'reader':18} {'time':>7} {'inputs':>9} {'items':>9}  findings (inputs hitting it)")
    for row in figures:
        found = ", ".join(f"{k} ({v})" for k, v in row["findings"].items()) or "none"
        counts = f"{row['seconds']:>6}s {row['inputs']:>9,} {row['items']:>9,}"
        print(f"{row['reader']:18} {counts}  {found}")
    if args.stats:
        args.stats.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
