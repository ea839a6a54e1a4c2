"""Align every pair of a manifest, locally in worker processes or on a Dask cluster, resumably.

Layout of ``OUTDIR``::

    pairs/<id>/<id>.tsv (+ .tsv.json sidecar), <id>.tmx, <id>.report.html, <id>.report.json
    pairs/<id>/done.json     written last: the pair is finished only when this exists and matches
    summary.csv, corpus.tmx, index.html

Why a pair is safe to skip on a re-run: its outputs are written into a hidden staging folder, moved
into ``pairs/<id>/`` with atomic renames, and only then is ``done.json`` written (also by rename). A
pair being (re)done loses its marker before anything else is touched, so a run killed at any point
leaves either a valid marker with complete outputs or no marker (and the pair is redone). The marker
records the inputs' size, mtime and sha256 and the settings that change results; a pair whose inputs
or settings changed since is redone.

One pair's failure is a row in the summary (status ``failed`` and a one-line error), never an
exception, unless ``fail_fast``. At most ``workers`` pairs are in flight at a time, which bounds memory.
On a Dask cluster the same per-pair function runs via ``client.submit``; workers must see the input
and output paths (a shared filesystem), and the embedding cache folder if one is given.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from . import pipeline
from .corpus import merge_tmx, write_index
from .pairing import Pair, PairingResult, read_manifest
from .pipeline import AlignerError, InputError
from .summary import (
    FINISHED,
    STATUS_FAILED,
    STATUS_NOT_RUN,
    STATUS_OK,
    STATUS_SKIPPED,
    BatchSummary,
    PairOutcome,
    write_summary_csv,
)

PAIRS_DIR = "pairs"
MARKER_NAME = "done.json"
STAGING_PREFIX = ".staging-"
LOCK_NAME = ".batch.lock"
SUMMARY_NAME = "summary.csv"
CORPUS_NAME = "corpus.tmx"
INDEX_NAME = "index.html"
MAX_ERROR_CHARS = 300
CRASH_RETRIES = 1
"""A pair in flight when a local worker process dies is retried this many times (the crash may have
been another pair's): then it is recorded as failed."""
DEFAULT_MIN_SCORE = 0.0
HASH_CHUNK = 1 << 20
CONFIDENCE_DIGITS = 4
DASK_CONNECT_TIMEOUT_S = 30


def output_names(pair_id: str) -> dict[str, str]:
    """The files a finished pair has, by role."""
    return {
        "tsv": f"{pair_id}.tsv",
        "tsv_meta": f"{pair_id}.tsv.json",
        "tmx": f"{pair_id}.tmx",
        "html": f"{pair_id}.report.html",
        "json": f"{pair_id}.report.json",
    }


@dataclass(frozen=True)
class PairTask:
    """Everything a worker needs for one pair: plain values, so it pickles for any executor."""

    id: str
    en: str
    cy: str
    outdir: str
    settings: Mapping[str, Any]
    """What changes the results (aligner version, min_score, alignment options): kept in the marker."""
    cache_dir: str | None = None

    @property
    def pair_dir(self) -> Path:
        return Path(self.outdir) / PAIRS_DIR / self.id


def _one_line(exc: BaseException) -> str:
    text = str(exc) if isinstance(exc, AlignerError) else f"{type(exc).__name__}: {exc}"
    line = (text.strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


def fingerprint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Size, mtime and sha256 of an input file, to tell on a re-run whether it changed."""
    p = Path(path)
    st = p.stat()
    digest = hashlib.sha256()
    with open(p, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest.hexdigest()}


def _same_input(recorded: Mapping[str, Any], path: Path) -> bool:
    """True if ``path`` still has the recorded content (hashing only when size matches and mtime does not)."""
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != recorded.get("size"):
        return False
    if st.st_mtime_ns == recorded.get("mtime_ns"):
        return True
    return bool(fingerprint(path)["sha256"] == recorded.get("sha256"))


def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def finished_outcome(task: PairTask) -> PairOutcome | None:
    """The recorded outcome if this pair is finished with the same inputs and settings, else None."""
    marker = task.pair_dir / MARKER_NAME
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("settings") != json.loads(json.dumps(dict(task.settings))):
        return None
    inputs = data.get("inputs") or {}
    if not all(_same_input(inputs.get(lang) or {}, Path(p)) for lang, p in (("en", task.en), ("cy", task.cy))):
        return None
    if not all((task.pair_dir / name).is_file() for name in data.get("outputs", [])):
        return None
    try:
        out = PairOutcome.from_dict(data["summary"])
    except (KeyError, TypeError):
        return None
    out.status, out.en, out.cy = STATUS_SKIPPED, task.en, task.cy
    return out


def _figures(out: PairOutcome, alignment: pipeline.Alignment) -> None:
    kinds = Counter(link.kind for link in alignment.links)
    out.pages_en, out.pages_cy = int(alignment.en.n_pages), int(alignment.cy.n_pages)
    out.links_1_1, out.links_1_0, out.links_0_1 = (
        kinds.pop("1-1", 0),
        kinds.pop("1-0", 0),
        kinds.pop("0-1", 0),
    )
    out.links_merge = sum(kinds.values())
    scores = [float(link.score) for link in alignment.links]
    out.mean_confidence = round(sum(scores) / len(scores), CONFIDENCE_DIGITS) if scores else None
    out.warnings = "; ".join(str(w) for w in alignment.settings.get("warnings", []))


def run_pair(task: PairTask) -> PairOutcome:
    """Align one pair and write its outputs; never raises (a failure is returned as the outcome)."""
    start = time.perf_counter()
    out = PairOutcome(task.id, STATUS_FAILED, en=task.en, cy=task.cy)
    pair_dir = task.pair_dir
    staging: Path | None = None
    try:
        (pair_dir / MARKER_NAME).unlink(missing_ok=True)  # first: outputs may change from here on
        pair_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{task.id}-", dir=pair_dir.parent))
        options = dict(task.settings.get("align_options") or {})
        min_score = float(task.settings.get("min_score", DEFAULT_MIN_SCORE))
        embedding = dict(task.settings.get("embedding") or {})
        alignment = pipeline.align_pair(
            task.en,
            task.cy,
            cache_dir=task.cache_dir,
            model=str(embedding.get("model") or "bundled"),
            device=embedding.get("device"),
            batch_size=embedding.get("batch_size"),
            dtype=str(embedding.get("dtype") or pipeline.DEFAULT_DTYPE),
            **options,
        )
        inputs = {"en": fingerprint(task.en), "cy": fingerprint(task.cy)}
        names = output_names(task.id)
        pipeline.write_alignment(alignment, staging / names["tsv"], min_score=min_score)
        pipeline.write_alignment(alignment, staging / names["tmx"], min_score=min_score)
        figures = pipeline.write_report(alignment, staging / names["html"], staging / names["json"])
        _figures(out, alignment)
        out.aligned_share = round(figures.aligned_share, CONFIDENCE_DIGITS)
        out.findings = figures.findings
        pair_dir.mkdir(exist_ok=True)
        produced = sorted(p.name for p in staging.iterdir())
        for name in produced:
            os.replace(staging / name, pair_dir / name)
        out.status = STATUS_OK
        out.seconds = round(time.perf_counter() - start, 2)
        _write_json_atomic(
            pair_dir / MARKER_NAME,
            {
                "id": task.id,
                "settings": dict(task.settings),
                "inputs": inputs,
                "outputs": produced,
                "summary": out.to_dict(),
            },
        )
    except Exception as exc:
        out.status, out.error = STATUS_FAILED, _one_line(exc)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    out.seconds = round(time.perf_counter() - start, 2)
    return out


@contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic process (a Dask worker) start the aligner's own page-reading pool.

    multiprocessing refuses children to daemonic processes; Dask workers are daemonic by default and
    segmenting a long PDF uses a process pool, so the flag is lifted for the duration of one pair.
    The pool is always joined before the pair returns, so no orphan can outlive the worker.
    """
    proc = multiprocessing.current_process()
    config: dict[str, Any] = getattr(proc, "_config", {})
    was = config.get("daemon")
    if was:
        config["daemon"] = False
    try:
        yield
    finally:
        if was:
            config["daemon"] = was


def run_pair_on_dask(task: PairTask) -> PairOutcome:
    """``run_pair`` as submitted to a Dask worker."""
    with _children_allowed():
        return run_pair(task)


THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""Thread pools sized from the environment when first loaded: the embedding model's (OpenMP), numpy's BLAS."""


def _init_local_worker(threads: int) -> None:
    """Give each worker its share of the cores: otherwise every worker starts one thread per core for the
    model and for BLAS, and the oversubscription made 2 workers on 2 cores about 2x slower in our runs."""
    for name in THREAD_ENV_VARS:
        os.environ[name] = str(threads)


# --- executors ----------------------------------------------------------------------------------


class _Executor:
    """submit / wait-for-any / close over a process pool or a Dask client, so one loop drives both."""

    def slots(self) -> int:
        """How many pairs may be in flight at once."""
        raise NotImplementedError

    def submit(self, task: PairTask) -> Any:
        raise NotImplementedError

    def wait_any(self, futures: Sequence[Any]) -> set[Any]:
        raise NotImplementedError

    def result(self, future: Any) -> PairOutcome:
        return cast(PairOutcome, future.result())

    def broken(self, exc: BaseException) -> bool:
        """True if ``exc`` means the executor itself died and must be restarted."""
        return False

    def restart(self) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        pass


class _LocalExecutor(_Executor):
    def __init__(self, workers: int, threads: int) -> None:
        self.workers, self.threads = workers, threads
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver, not fork: forking a parent that already runs threads (tqdm, OpenMP) can deadlock.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_local_worker,
            initargs=(self.threads,),
        )

    def slots(self) -> int:
        return self.workers

    def submit(self, task: PairTask) -> Future[PairOutcome]:
        return self.pool.submit(run_pair, task)

    def wait_any(self, futures: Sequence[Any]) -> set[Any]:
        return set(wait(futures, return_when=FIRST_COMPLETED).done)

    def broken(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def restart(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new_pool()

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)


class _DaskExecutor(_Executor):
    def __init__(self, scheduler: Any, workers: int | None) -> None:
        self.workers = workers
        try:
            import distributed
        except ImportError:
            raise AlignerError("running on a Dask cluster needs distributed: pip install 'aligner[batch]'") from None
        self.distributed = distributed
        self.own_client = not isinstance(scheduler, distributed.Client)
        if self.own_client:
            try:
                self.client = distributed.Client(scheduler, timeout=DASK_CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                raise AlignerError(f"cannot reach the Dask scheduler at {scheduler}: {_one_line(exc)}") from None
        else:
            self.client = scheduler
        self.run_token = os.urandom(4).hex()

    def slots(self) -> int:
        return self.workers or max(1, sum(self.client.nthreads().values()))

    def submit(self, task: PairTask) -> Any:
        return self.client.submit(run_pair_on_dask, task, key=f"aligner-pair-{task.id}-{self.run_token}", pure=False)

    def wait_any(self, futures: Sequence[Any]) -> set[Any]:
        return set(self.distributed.wait(list(futures), return_when="FIRST_COMPLETED").done)

    def close(self, cancel: bool = False) -> None:
        if self.own_client:
            self.client.close()


# --- the batch ----------------------------------------------------------------------------------


@contextmanager
def _batch_lock(outdir: Path) -> Iterator[None]:
    """One batch at a time per output folder (the lock dies with the process, so a kill leaves none)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(outdir / LOCK_NAME, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise AlignerError(f"another batch is already writing to {outdir}") from None
        yield


def _clean_staging(outdir: Path) -> None:
    """Remove what a killed run left half-written (staging folders and .part files)."""
    pairs = outdir / PAIRS_DIR
    if not pairs.is_dir():
        return
    for entry in pairs.iterdir():
        if entry.name.startswith(STAGING_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)


@dataclass
class _Progress:
    """Pairs done, pages per second and time left, on stderr."""

    total: int
    initial: int
    enabled: bool
    start: float = field(default_factory=time.perf_counter)
    pages: int = 0
    failed: int = 0

    def __post_init__(self) -> None:
        from tqdm import tqdm

        class Bar(tqdm):
            monitor_interval = 0  # no monitor thread in a process that starts workers

        self.bar = Bar(
            total=self.total,
            initial=self.initial,
            desc="pairs",
            unit="pair",
            file=sys.stderr,
            disable=not self.enabled,
            dynamic_ncols=True,
        )

    def done(self, out: PairOutcome) -> None:
        self.pages += out.pages
        self.failed += out.status == STATUS_FAILED
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        self.bar.set_postfix_str(f"{self.pages / elapsed:.1f} pages/s, {self.failed} failed", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _as_pairs(manifest: str | os.PathLike[str] | PairingResult | Sequence[Pair]) -> list[Pair]:
    if isinstance(manifest, PairingResult):
        return list(manifest.pairs)
    if isinstance(manifest, (str, os.PathLike)):
        return read_manifest(manifest)
    return list(manifest)


def run_batch(
    manifest: str | os.PathLike[str] | PairingResult | Sequence[Pair],
    outdir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: Any = None,
    fail_fast: bool = False,
    force: bool = False,
    progress: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    threads_per_worker: int | None = None,
    align_options: Mapping[str, Any] | None = None,
    model: str = "bundled",
    device: str | None = None,
    batch_size: int | None = None,
    dtype: str = pipeline.DEFAULT_DTYPE,
    on_outcome: Callable[[PairOutcome], None] | None = None,
) -> BatchSummary:
    """Align every pair of ``manifest`` into ``outdir`` and write the summary, corpus TMX and index.

    ``workers``: local worker processes (default: the CPU count), or with ``scheduler`` (a
    ``tcp://`` address or a ``distributed.Client``) the most pairs in flight on the cluster (default:
    its thread count). ``threads_per_worker``: embedding threads per local worker (default: cores /
    workers). ``force`` redoes finished pairs. ``align_options`` go to ``aligner.align``, as do ``model``,
    ``device``, ``batch_size`` and ``dtype`` (the embedding model: "bundled" or a sentence-transformers name
    or folder).
    ``on_outcome`` is called in this process as each pair ends (for callers that watch a batch).
    """
    started = time.perf_counter()
    pairs = _as_pairs(manifest)
    if not pairs:
        raise InputError("the manifest lists no pairs")
    if workers is not None and workers < 1:
        raise AlignerError(f"workers must be at least 1, not {workers}")
    pipeline.check_model(model, device, batch_size, dtype)
    out_path = Path(outdir)
    if out_path.exists() and not out_path.is_dir():
        raise AlignerError(f"{out_path} exists and is not a folder")
    out_path.mkdir(parents=True, exist_ok=True)
    settings = {
        "aligner": pipeline.aligner_version(),
        "min_score": float(min_score),
        "align_options": dict(align_options or {}),
        "embedding": {"model": model, "device": device, "batch_size": batch_size, "dtype": dtype},
    }
    json.dumps(settings)  # options must be plain values: they are recorded in every marker
    # absolute paths: a Dask worker does not share this process's working folder
    tasks = [
        PairTask(
            p.id,
            os.path.abspath(p.en),
            os.path.abspath(p.cy),
            os.path.abspath(out_path),
            settings,
            os.path.abspath(cache_dir) if cache_dir is not None else None,
        )
        for p in pairs
    ]
    with _batch_lock(out_path):
        _clean_staging(out_path)
        outcomes: dict[str, PairOutcome] = {}
        if not force:
            for task in tasks:
                found = finished_outcome(task)
                if found is not None:
                    outcomes[task.id] = found
        todo = [t for t in tasks if t.id not in outcomes]
        stopped = False
        notes: list[str] = []
        if todo:
            executor = _make_executor(scheduler, workers, len(todo), threads_per_worker)
            bar = _Progress(len(tasks), len(outcomes), progress)
            try:
                stopped = _drive(executor, todo, fail_fast, outcomes, bar, notes, on_outcome)
            except BaseException:
                executor.close(cancel=True)
                raise
            finally:
                bar.close()
            executor.close()
        rows = [outcomes.get(t.id) or PairOutcome(t.id, STATUS_NOT_RUN, en=t.en, cy=t.cy) for t in tasks]
        summary = BatchSummary(out_path, rows, round(time.perf_counter() - started, 2), stopped, notes=notes)
        _write_corpus(summary)
    return summary


def executor_workers(workers: int | None, n_todo: int) -> int:
    """Local worker processes: as asked, else one per core, never more than there are pairs."""
    return max(1, min(workers or os.cpu_count() or 1, n_todo))


def _make_executor(scheduler: Any, workers: int | None, n_todo: int, threads: int | None) -> _Executor:
    if scheduler is not None:
        return _DaskExecutor(scheduler, workers)
    n = executor_workers(workers, n_todo)
    return _LocalExecutor(n, threads or max(1, (os.cpu_count() or 1) // n))


def _drive(
    executor: _Executor,
    todo: list[PairTask],
    fail_fast: bool,
    outcomes: dict[str, PairOutcome],
    bar: _Progress,
    notes: list[str],
    on_outcome: Callable[[PairOutcome], None] | None,
) -> bool:
    """Keep at most ``executor.slots()`` pairs in flight until all are done (or one fails with ``fail_fast``).

    Returns True if it stopped early. A local worker that dies breaks the whole pool: every pair then
    in flight is retried (up to CRASH_RETRIES) on a fresh pool, as the crash may have been another's.
    """
    queue = list(reversed(todo))
    in_flight: dict[Any, PairTask] = {}
    crashes: Counter[str] = Counter()
    slots = executor.slots()
    stop = False
    while in_flight or (queue and not stop):
        while queue and not stop and len(in_flight) < slots:
            task = queue.pop()
            in_flight[executor.submit(task)] = task
        broken = False
        for fut in executor.wait_any(list(in_flight)):
            task = in_flight.pop(fut)
            try:
                out = executor.result(fut)
            except Exception as exc:
                if executor.broken(exc):
                    broken = True
                    crashes[task.id] += 1
                    if crashes[task.id] <= CRASH_RETRIES:
                        queue.append(task)
                        continue
                out = PairOutcome(
                    task.id, STATUS_FAILED, en=task.en, cy=task.cy, error=f"worker died: {_one_line(exc)}"
                )
            outcomes[task.id] = out
            bar.done(out)
            if on_outcome is not None:
                on_outcome(out)
            if out.status == STATUS_FAILED and fail_fast:
                stop = True
        if broken:
            note = "a worker process died; the pool was restarted and the pairs in flight retried"
            if note not in notes:
                notes.append(note)
            executor.restart()
    return stop


def _write_corpus(summary: BatchSummary) -> None:
    """summary.csv, corpus.tmx (finished pairs in manifest order) and index.html."""
    out = summary.outdir
    summary.summary_csv = out / SUMMARY_NAME
    write_summary_csv(summary.rows, summary.summary_csv)
    docs = [(r.id, out / PAIRS_DIR / r.id / output_names(r.id)["tmx"]) for r in summary.rows if r.status in FINISHED]
    summary.corpus_tmx = out / CORPUS_NAME
    units, signatures = merge_tmx([(i, p) for i, p in docs if p.is_file()], summary.corpus_tmx)
    if len(signatures) > 1:
        summary.notes.append(
            f"the pairs were aligned with {len(signatures)} different settings signatures "
            "(all are listed in corpus.tmx's header)"
        )
    summary.index_html = out / INDEX_NAME
    write_index(summary, units, summary.index_html)
