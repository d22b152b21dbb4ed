"""Files written whole or not at all: through a temporary file in the target's folder and an atomic rename, with
the permissions of a plainly created file. The briefing files and the score sheet are written this way."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process's file-creation mask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()  # what a plainly created file gets; mkstemp's own 0600 would hide the files from others


def write_atomic(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to folder/name through a temporary file in the same folder and an atomic rename."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _MODE)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
