"""Import a batch of files into a store: one report per file, the batch never stops on one.

Batches are decoded in worker processes (``jobs``, all cores by default). The main process
reads each file, hashes it and skips a file the store already knows before any decoding, and
stores the results in input order, re-checking the hash then; so reports and store contents
are the same as when importing one file after another. At most ``IN_FLIGHT_PER_JOB * jobs``
files (or ``IN_PROCESS_MAX_FILES + 1`` while workers start) are being decoded or waiting to be
stored at any time, so memory stays bounded however large the batch.

A small batch is decoded in the main process: starting workers (a new Python that imports
polars, numpy and the analytics, each) takes longer than decoding a few recordings. Files are
held until the batch has more than :data:`IN_PROCESS_MAX_FILES` files to decode or one of more
than :data:`IN_PROCESS_MAX_BYTES`; then workers start and take them all. The trade-off: a file
decoded here has the same plausibility checks and salvage but no address-space ceiling
(:data:`WORKER_MEMORY_BYTES` caps workers only, and a native allocation failure would end this
process, not a worker). The decoders' memory is bounded by a small multiple of the file's size,
so only small files (a day-long recording at most) take this path; large or unknown ones, and
every file of a large batch, are decoded under the ceiling.

Known problems become a reason a runner can act on (:mod:`ingest.errors`). Anything else that
goes wrong with one file - a bug in a decoder, in the analytics hook or in storing - stops
that file only (:mod:`ingest.import_report`: the traceback goes to the data directory's error
log, the report says "internal error while reading X (details in LOG); the rest of the batch
goes on").

Each worker's address space is capped at :data:`WORKER_MEMORY_BYTES` where the platform
enforces it; a file that needs more is rejected with :data:`OUT_OF_MEMORY`.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from ingest.errors import ImportProblem
from ingest.import_report import (
    FileReport,
    InternalError,
    report_internal_error,
)
from ingest.reader import read_activities, sniff
from ingest.schema import Activity
from ingest.sources import Fingerprint, Item
from ingest.store import Store
from ingest.wellness.reader import read_wellness
from ingest.wellness.records import WellnessBatch
from ingest.wellness.store import add_batch

#: A function run on each decoded activity in the decoding process (see :func:`decode_file`).
Enrich = Callable[[Activity], Activity]
#: Files per worker being decoded or waiting to be stored (keeps workers busy, memory bounded).
IN_FLIGHT_PER_JOB = 4
#: Environment of worker processes: one polars thread each, as the workers (and the storing
#: main process) already share the cores; more threads only compete (20-30 % slower batches).
#: One OpenBLAS thread and two malloc arenas keep a worker's address space near 0.4 GB instead
#: of 1 GB (each thread's buffers and arenas reserve address space; see WORKER_MEMORY_BYTES).
WORKER_ENVIRONMENT = {"POLARS_MAX_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                      "MALLOC_ARENA_MAX": "2"}
#: Address space a worker process may use [bytes] (RLIMIT_AS, where the platform enforces it):
#: about four times what decoding the largest real recordings takes with the libraries loaded,
#: far below what a damaged file claiming gigabytes would. A file that hits it is rejected.
WORKER_MEMORY_BYTES = 2 * 1024**3
OUT_OF_MEMORY = ("decoding it needed more memory than an import may use: "
                 "the file is probably damaged")
#: A batch with at most this many files to decode, none of them larger than
#: :data:`IN_PROCESS_MAX_BYTES`, is decoded in this process (no workers to start).
IN_PROCESS_MAX_FILES = 10
#: Largest file decoded in this process [bytes]: a 1 Hz FIT recording with every running
#: signal takes about 150 kB per hour, the largest real recordings we have about 1 MB.
IN_PROCESS_MAX_BYTES = 4 * 1024**2
def _format(data: bytes) -> str | None:
    try:
        return sniff(data)
    except ImportProblem:
        return None


def default_jobs() -> int:
    """Worker processes for a batch: the CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def limit_memory(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes where the platform allows it
    (the initializer of worker processes: allocations beyond raise MemoryError)."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


Decoded = list[Activity] | WellnessBatch | str | InternalError


def decode_file(data: bytes, name: str, enrich: Enrich | None = None) -> Decoded:
    """Activities (or the wellness) of one file, the reason it is rejected, or the internal
    error that stopped it (what worker processes run).

    ``enrich`` (a module-level function, so workers can receive it) runs on each activity
    after decoding, e.g. to attach the analytics layer's per-activity metrics. The samples
    file is encoded here too (``Activity.samples_file``), so the storing process only writes
    it: one process stores what several decode.
    """
    from ingest.store.frames import encode_samples

    try:
        wellness = read_wellness(data)
        if wellness is not None:
            return wellness
        activities = read_activities(data, name)
        if enrich:
            activities = [enrich(a) for a in activities]
        for activity in activities:  # the samples file too, so storing only writes it
            activity.samples_file = encode_samples(activity.samples)
        return activities
    except ImportProblem as problem:
        return problem.reason
    except MemoryError:
        return OUT_OF_MEMORY
    except Exception:  # a bug must not stop the batch: logged by the storing process
        return InternalError.now()


@dataclass(eq=False)  # compared by identity: two files may hold the same bytes
class _File:
    """One input file on its way through a batch."""

    name: str
    data: bytes = b""
    sha256: str = ""
    report: FileReport | None = None  # known before decoding: unreadable or already imported
    future: Future | None = None
    decoded: Decoded | None = None  # decoded alone, after a worker died
    fingerprint: Fingerprint | None = None  # of an archive entry


def _duplicate(name: str, known: sqlite3.Row) -> FileReport:
    return FileReport(name, "duplicate",
                      reason=f"identical to {known['name']}, already imported")


def _load(item: Item, store: Store) -> _File:
    """Read and hash a file; a report right away if it is unreadable or already imported
    (an archive entry whose fingerprint the store knows is not even read)."""
    if item.fingerprint is not None:
        known = store.file_by_member(item.fingerprint)
        if known is not None:
            return _File(item.name, report=_duplicate(item.name, known))
    try:
        data = item.load()
    except ImportProblem as problem:
        return _File(item.name, report=FileReport(item.name, "rejected", reason=problem.reason))
    except OSError as exc:
        reason = f"cannot read the file ({exc.strerror})"
        return _File(item.name, report=FileReport(item.name, "rejected", reason=reason))
    except Exception:  # a bug in reading archives: this file only
        report = report_internal_error(item.name, InternalError.now(), store.data_dir)
        return _File(item.name, report=report)
    file = _File(item.name, data, hashlib.sha256(data).hexdigest(),
                 fingerprint=item.fingerprint)
    file.report = _known(file, store)
    if file.report is not None:
        file.data = b""  # not needed any more
    return file


def _known(file: _File, store: Store) -> FileReport | None:
    known = store.known_file(file.sha256)
    if known is None:
        return None
    _remember_member(file, store)
    return _duplicate(file.name, known)


def _remember_member(file: _File, store: Store) -> None:
    """Remember an archive entry's bytes by its fingerprint, once the store knows them."""
    if file.fingerprint is not None:
        store.record_member(file.fingerprint, file.sha256)


def _store_wellness(file: _File, batch: WellnessBatch, store: Store) -> FileReport:
    added = add_batch(store, batch, file.name)
    report = FileReport(file.name, "imported" if added.days else "duplicate",
                        warnings=batch.warnings, wellness_days=added.days,
                        wellness_dates=tuple(d.isoformat() for d in added.changed))
    if not added.days:
        report.reason = f"its {len(added.dates)} days of {batch.kind} are already stored"
    store.record_file(file.sha256, file.name, len(file.data), batch.format, report.status, 0)
    _remember_member(file, store)
    return report


def _store(file: _File, decoded: Decoded, store: Store) -> FileReport:
    """Store decoded activities or wellness (or report the rejection) and record the file."""
    if isinstance(decoded, str):
        return FileReport(file.name, "rejected", reason=decoded)
    if isinstance(decoded, InternalError):
        return report_internal_error(file.name, decoded, store.data_dir)
    if isinstance(decoded, WellnessBatch):
        return _store_wellness(file, decoded, store)
    report = FileReport(file.name, "duplicate")
    notes = []
    try:
        for activity in decoded:
            stored = store.add(activity, file.sha256, file.name, activity.decoder)
            report.warnings.extend(activity.warnings)
            if stored.note:
                notes.append(stored.note)
            if stored.status in ("imported", "replaced"):
                report.status = "imported"
                report.activities += 1
                report.replaced += stored.status == "replaced"
    except OSError as exc:
        return FileReport(file.name, "rejected", report.activities, report.warnings,
                          f"could not be stored ({exc})")
    except Exception:  # a bug in storing: each activity is atomic, this file stops here
        failed = report_internal_error(file.name, InternalError.now(), store.data_dir)
        failed.activities, failed.warnings = report.activities, report.warnings
        return failed
    if report.status == "duplicate":
        report.reason = "; ".join(notes)
    else:
        report.warnings.extend(notes)
    store.record_file(file.sha256, file.name, len(file.data), _format(file.data), report.status,
                      report.activities)
    _remember_member(file, store)
    return report


def import_item(item: Item, store: Store, enrich: Enrich | None = None) -> FileReport:
    """Load, decode and store one file; every failure becomes a 'rejected' report."""
    file = _load(item, store)
    if file.report is not None:
        return file.report
    return _store(file, decode_file(file.data, file.name, enrich), store)


class _Batch:
    """Decodes files in worker processes and stores them in input order."""

    def __init__(self, store: Store, jobs: int, enrich: Enrich | None = None) -> None:
        self.store = store
        self.jobs = jobs
        self.enrich = enrich
        self.pool: ProcessPoolExecutor | None = None
        self.probe: Future | None = None  # first task of the first pool: can workers run?
        self.workers_run = True  # False: they cannot start here, decode in this process
        self.queue: deque[_File] = deque()  # files not yet reported, in input order
        self.in_flight = 0  # files of the queue sent to a worker
        self.held: list[_File] = []  # small files to decode here unless workers start
        self.to_decode = 0  # files of the batch so far that need decoding

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _drop_pool(self) -> None:
        """Shut a broken pool down without waiting (its futures fail or are cancelled)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def _start_pool(self) -> ProcessPoolExecutor:
        # spawn: workers must not inherit the store's connection or polars' threads (fork)
        context = multiprocessing.get_context("spawn")
        self.pool = pool = ProcessPoolExecutor(self.jobs, mp_context=context,
                                               initializer=limit_memory,
                                               initargs=(WORKER_MEMORY_BYTES,))
        if self.probe is None:
            with _environment(WORKER_ENVIRONMENT):  # submit() starts the worker processes
                self.probe = pool.submit(os.getpid)
        return pool

    def _submit(self, file: _File) -> None:
        pool = self.pool if self.pool is not None else self._start_pool()
        self.in_flight += 1
        with _environment(WORKER_ENVIRONMENT):
            file.future = pool.submit(decode_file, file.data, file.name, self.enrich)

    def add(self, file: _File) -> None:
        """Queue a file, sending it to a worker if it needs decoding."""
        if file.report is None and self.workers_run:
            self.to_decode += 1
            if self.probe is not None:  # workers were started for this batch
                self._submit(file)
            elif (self.to_decode <= IN_PROCESS_MAX_FILES
                  and len(file.data) <= IN_PROCESS_MAX_BYTES):
                self.held.append(file)
            else:  # a large batch or a large file: worth the workers and their ceiling
                for held in self.held:
                    self._submit(held)
                self.held = []
                self._submit(file)
        self.queue.append(file)

    def ready(self, final: bool = False) -> Iterator[FileReport]:
        """Reports of the files at the head of the queue that can be given now (all if final)."""
        while self.queue:
            head = self.queue[0]
            if not final:
                if head in self.held and len(self.queue) <= IN_PROCESS_MAX_FILES:
                    return  # workers may still take it; else many reports would wait on it
                waiting = head.future is not None and not head.future.done()
                if waiting and self.in_flight < IN_FLIGHT_PER_JOB * self.jobs:
                    return
            yield self._finish(self.queue.popleft())

    def _decode_here(self, file: _File) -> FileReport:
        if file in self.held:
            self.held.remove(file)
        # an identical file earlier in this batch may have been stored meanwhile
        return _known(file, self.store) or _store(
            file, decode_file(file.data, file.name, self.enrich), self.store)

    def _finish(self, file: _File) -> FileReport:
        if file.report is not None:
            return file.report
        if file.future is None:
            return self._decode_here(file)
        self.in_flight -= 1
        decoded = file.decoded if file.decoded is not None else self._result(file, file.future)
        # an identical file earlier in this batch may have been stored meanwhile
        return _known(file, self.store) or _store(file, decoded, self.store)

    def _result(self, file: _File, future: Future) -> Decoded:
        """The worker's result; if a worker died, the files it took down are decoded again."""
        try:
            return future.result()
        except BrokenProcessPool:  # a worker was killed (e.g. out of memory) or crashed
            self._drop_pool()
            if self.probe is None or isinstance(self.probe.exception(), BrokenProcessPool):
                return self._without_workers(file)
            lost = [other for other in self.queue if other.future is not None
                    and other.decoded is None and _lost(other.future)]
            file.decoded = decoded = self._alone(file)
            for one in lost:
                one.decoded = self._alone(one)
            return decoded
        except Exception:  # e.g. a result that could not be sent back
            return InternalError.now()

    def _alone(self, file: _File) -> Decoded:
        """Decode one file with no other in flight: if its worker dies, it was this file."""
        pool = self.pool if self.pool is not None else self._start_pool()
        with _environment(WORKER_ENVIRONMENT):
            future = pool.submit(decode_file, file.data, file.name, self.enrich)
        try:
            return future.result()
        except BrokenProcessPool as exc:
            self._drop_pool()
            return f"the decoding process stopped unexpectedly ({exc})"
        except Exception:  # e.g. a result that could not be sent back
            return InternalError.now()

    def _without_workers(self, file: _File) -> Decoded:
        """Workers cannot start here (e.g. a script read from stdin): decode in this process."""
        self.workers_run = False
        for other in self.queue:
            if other.future is not None:
                other.future = None
                self.in_flight -= 1
        return decode_file(file.data, file.name, self.enrich)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for processes started meanwhile (restored afterwards)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def _lost(future: Future) -> bool:
    return future.cancelled() or (
        future.done() and isinstance(future.exception(), BrokenProcessPool)
    )


def import_items(items: Iterable[Item], store: Store, jobs: int | None = None,
                 enrich: Enrich | None = None) -> Iterator[FileReport]:
    """Import items, yielding one report per item in input order.

    Parameters
    ----------
    items
        The files to import (e.g. from :func:`ingest.sources.expand`); read lazily, one by one.
    store
        Where activities go.
    jobs
        Worker processes decoding in parallel; ``None`` for one per CPU core, 1 to decode
        everything in this process. Workers are spawned, so a script calling this needs the
        usual ``if __name__ == "__main__":`` guard; where they cannot start at all (a script
        read from stdin), files are decoded in this process.
    enrich
        Run on each decoded activity where it was decoded (see :func:`decode_file`).
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        for item in items:
            yield import_item(item, store, enrich)
        return
    batch = _Batch(store, jobs, enrich)
    try:
        for item in items:
            batch.add(_load(item, store))  # load() now: archive members need their open zip
            yield from batch.ready()
        yield from batch.ready(final=True)
    finally:
        batch.close()
