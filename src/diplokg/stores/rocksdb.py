"""Opening the on-disk Oxigraph store (RocksDB): read-write for the commands that write, read-only
for those that only read, and who holds it.

Why read-only: a read-write open writes before anything is read (a new info LOG, the old one
renamed, a new MANIFEST and OPTIONS, a new write-ahead log), so a store on a read-only or full
file system could not even be listed, and every `articles` left a LOG.old behind (137 KB each,
up to RocksDB's default of 1,000). A read-only open writes nothing at all, and still replays
the write-ahead log of a store whose writer was killed.

RocksDB's read-only mode takes no lock, and reading while another process writes is undefined
behaviour (pyoxigraph's words). So a reader takes a shared lock on RocksDB's own LOCK file
first: readers share the store, a writer (which takes RocksDB's exclusive lock) and a reader
exclude each other, each with a one-line "in use" error. The lock is an open-file-description
lock where Linux has them, so that it neither upgrades nor, when closed, releases RocksDB's
lock held by the same process.

pyoxigraph exposes no RocksDB option, so the info logs of read-write opens cannot be capped at
the source: after each such open, all but the newest KEEP_INFO_LOGS old logs are deleted
(RocksDB only ever writes the current LOG).
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import time
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError

KEEP_INFO_LOGS = 3  # LOG.old.* files kept beside the current LOG, for whoever debugs RocksDB


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def check_exists(path: Path) -> None:
    """Raise unless `path` holds a store: commands that only read (or remove) never create one,
    so a mistyped path is said, not silently made into an empty store."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open store {path}: it is a file, not a store directory")
    if not (path / "CURRENT").is_file():
        raise StoreError(f"no store at {path}")


def open_rocksdb(path: Path, wait: float = 0.0, read_only: bool = False) -> ox.Store:
    """pyoxigraph's on-disk store at `path`; while it is locked by another process, tries
    again for `wait` seconds (release_caches reopens a store another process may grab).
    Read-only: the caller holds the shared lock (`shared_lock`); the store must exist."""
    if read_only:
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:
            raise StoreError(f"cannot open store {path} for reading: {_one_line(e)}") from None
    deadline = time.monotonic() + wait
    while True:
        try:
            path.mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(path))
        except OSError as e:
            reason = _one_line(e)
            if "lock" not in reason.lower():
                raise StoreError(f"cannot open store {path}: {reason}") from None
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise _locked(path) from None
        prune_info_logs(path)
        return store


def _locked(path: Path) -> StoreError:
    holder = pid_holder(path)
    if holder is not None and holder != os.getpid():
        return StoreError(f"store {path} is in use by process {holder} (it is locked; "
                          "stop that process or wait for it to finish)")
    where = "this process" if holder == os.getpid() else "this or another process"
    return StoreError(f"cannot open store {path}: it is locked (already open in {where})")


def shared_lock(path: Path) -> int | None:
    """A descriptor holding a shared lock on the store's LOCK file (close it to release), or
    None when the file cannot be opened for reading (the read goes on unguarded, as any
    reader of a store it may not lock would)."""
    try:
        fd = os.open(path / "LOCK", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        ofd = getattr(fcntl, "F_OFD_SETLK", None)
        if ofd is not None and struct.calcsize("q") == struct.calcsize("l") == 8:
            # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for an OFD lock)
            fcntl.fcntl(fd, ofd, struct.pack("@hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
        else:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as e:
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES):
            raise _locked(path) from None
        return None  # a file system without locks
    return fd


def prune_info_logs(path: Path, keep: int = KEEP_INFO_LOGS) -> None:
    """Delete all but the newest `keep` of RocksDB's old info logs (LOG.old.<microseconds>)."""
    try:
        old = sorted((p for p in path.iterdir() if p.name.startswith("LOG.old.")),
                     key=lambda p: (len(p.name), p.name))  # the suffix is a timestamp: by length, then text
    except OSError:
        return
    for stale in old[:-keep] if keep else old:
        try:
            stale.unlink()
        except OSError:
            pass


# -- who holds the store: a pid file beside RocksDB's LOCK ------------------------------------
# RocksDB's LOCK (an fcntl lock, released by the kernel when the process dies, even by SIGKILL)
# is what keeps a second process out; `diplokg.pid` only names the holder in the error. It is
# written after the lock is taken and removed on close; a stale one (the holder was killed) is
# ignored because its process is gone, and overwritten by the next opener. Readers write none
# (they write nothing): a writer kept out by readers is told the store is locked.

PID_FILE = "diplokg.pid"


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    except OSError:
        return False
    try:  # a zombie has released its locks
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def pid_holder(path: Path) -> int | None:
    """The live process named in the store's pid file, or None (no file, garbage, stale)."""
    try:
        pid = int((path / PID_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return pid if pid_alive(pid) else None


def write_pid(pid_file: Path) -> None:
    tmp = pid_file.with_name(f"{PID_FILE}.{os.getpid()}.tmp")
    try:
        tmp.write_text(f"{os.getpid()}\n", encoding="ascii")
        os.replace(tmp, pid_file)
    except OSError:  # read-only directory and the like: the lock alone still protects the store
        try:
            tmp.unlink()
        except OSError:
            pass


def remove_pid(pid_file: Path) -> None:
    try:
        if pid_file.read_text(encoding="ascii").strip() == str(os.getpid()):
            pid_file.unlink()
    except (OSError, UnicodeDecodeError):
        pass
