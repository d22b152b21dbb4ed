"""The Ray runner of the batch parse: Ray Data reads the files, maps the parse over them in batches and each batch
writes its Parquet folder (loaders.batch.write_batch, atomic) where it ran; this process shows the progress.

Ray is optional (requirements-ray.txt) and imported only here, only when asked for. On a cluster the output folder
must be one every node can write (a shared file system), and every node needs the project's requirements.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

import config
from loaders import batch

LOCAL = "local"  # --ray local: start a Ray instance on this machine for this run
# What a cluster's workers are sent of the project: its code, not its data, environments or caches.
_EXCLUDES = [".venv/", ".git/", "data/", "bench/out/", "tests/", "sample_data/", "__pycache__/", "*.duckdb*"]


class RayMissing(RuntimeError):
    """Ray is not installed: the message says how to install it, in Chinese and English."""


def import_ray():
    """The ray module, or RayMissing saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  # Ray Data comes with ray[data]
    except ImportError as exc:
        raise RayMissing(
            "未安装 Ray：--ray 需要可选依赖，请运行 .venv/bin/pip install -r requirements-ray.txt / "
            "Ray is not installed: --ray needs the optional dependency; run .venv/bin/pip install -r "
            "requirements-ray.txt"
        ) from exc
    return ray


def run_ray(
    files: list[str], out: Path, address: str, batch_size: int, quiet: bool = False, num_cpus: int | None = None
) -> batch.Counts:
    """Parse the files on Ray at `address` ("auto", "ray://host:port", or "local" for a Ray started here with
    `num_cpus`); a Ray already started in this process is used as it is."""
    ray = import_ray()
    started = not ray.is_initialized()
    if started:
        _start(ray, address, num_cpus)
    try:
        with batch.output_lock(out):
            return _run(ray, files, Path(out).resolve(), batch_size, quiet)
    finally:
        if started:
            ray.shutdown()


def _start(ray, address: str, num_cpus: int | None) -> None:
    """Connect to the cluster (sending it the project's code), or start a Ray on this machine."""
    quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # the one progress display is ours
    if address == LOCAL:
        ray.init(num_cpus=num_cpus, include_dashboard=False, **quiet)
        return
    runtime_env = {"working_dir": str(config.REPO_ROOT), "excludes": _EXCLUDES}
    ray.init(address=address, runtime_env=runtime_env, **quiet)


def _run(ray, files: list[str], out: Path, batch_size: int, quiet: bool) -> batch.Counts:
    """Read, parse and write on Ray; files that are not there fail here with ingest's message."""
    batch.prepare_output(out)
    done = batch.done_files(out)
    missing = [f for f in files if not batch.is_uri(f) and not Path(f).is_file()]
    left_out = set(missing)
    present = [f for f in files if f not in left_out]
    counts = batch.Counts()
    progress = batch.Progress(len(files), quiet, "batch (ray)")
    for chunk in batch.chunks(missing, batch_size):
        tables, skipped = batch.parse_paths(chunk, done)
        done_here = batch.store_batch(out, tables)
        done_here.skipped = skipped
        counts.add(done_here)
        progress.advance(done_here)
    if present:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the one display is ours
        dataset = ray.data.read_binary_files(present, include_paths=True)
        results = dataset.map_batches(
            parse_and_write,
            batch_size=batch_size,
            batch_format="numpy",
            fn_kwargs={"out": str(out), "done": done, "paths": _path_map(present)},
        )
        for result in results.iter_batches(batch_size=None, batch_format="numpy"):
            done_here = _counts(result)
            counts.add(done_here)
            progress.advance(done_here)
    progress.close()
    return counts


def _path_map(paths: list[str]) -> dict[str, str]:
    """The path each file was asked for, by the path Ray reports for it (without its URI scheme)."""
    return {path.split("://", 1)[-1]: path for path in paths}


def parse_and_write(rows: dict[str, np.ndarray], out: str, done: batch.Done, paths: dict[str, str]) -> dict:
    """On a Ray worker: parse a batch of files read by Ray and write its Parquet folder; returns one row per file
    saying what became of it (parsed, failed, skipped)."""
    outcomes: list[batch.Outcome] = []
    statuses: list[str] = []
    names: list[str] = []
    for data, reported in zip(rows["bytes"], rows["path"], strict=True):
        path = paths.get(str(reported), str(reported))
        names.append(path)
        outcome = batch.parse_unless_done(path, bytes(data), done)
        if outcome is None:
            statuses.append("skipped")
            continue
        outcomes.append(outcome)
        statuses.append("failed" if outcome.failure else "parsed")
    tables = batch.batch_tables(outcomes)
    batch.write_batch(Path(out), tables)
    failures = dict(zip(tables["failures"]["source_path"], tables["failures"]["message"], strict=True))
    return {
        "path": np.array(names, dtype=object),
        "status": np.array(statuses, dtype=object),
        "message": np.array([failures.get(name, "") for name in names], dtype=object),
    }


def _counts(result: dict[str, np.ndarray]) -> batch.Counts:
    """A result batch's counts."""
    statuses = list(result["status"])
    failures = [(p, m) for p, s, m in zip(result["path"], statuses, result["message"], strict=True) if s == "failed"]
    return batch.Counts(
        parsed=statuses.count("parsed"),
        failed=statuses.count("failed"),
        skipped=statuses.count("skipped"),
        failures=[(str(p), str(m)) for p, m in failures],
    )
