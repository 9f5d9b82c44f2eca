"""save() under faults: SIGKILL mid-save, a full disk, no permission; links and modes.

The promise: the file at the path is always the old one or the new one,
complete, and nothing of ours is left behind after the next save. The
oracle is the bytes: save() is deterministic, so each model's complete file
is known in advance.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from micrograd_like import MLP, save
from micrograd_like import serialization

fcntl = pytest.importorskip("fcntl", reason="the kill and lock tests need POSIX")

SIZES = [64, 64, 1]  # about 4,400 parameters: a file of some 150 kB


def _bytes_of(model, path) -> bytes:
    save(model, path)
    return path.read_bytes()


def _ours(directory, name="model.json"):
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(f".{name}."))


# The child saves model B over model A and is killed at some point of it.
# Its hooks make the kill land where asked; they live here, in the test's
# child only, never in the library.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from micrograd_like import MLP, serialization
    path, where = sys.argv[1], sys.argv[2]
    model = MLP(2, %r, seed=1)
    def stop_here():
        print("ready", flush=True)
        time.sleep(600)
    if where == "half-written":
        real_open = open
        class Half:
            def __init__(self, f): self.f = f
            def write(self, text):
                self.f.write(text[: len(text) // 2]); self.f.flush(); os.fsync(self.f.fileno())
                stop_here()
            def __getattr__(self, name): return getattr(self.f, name)
        serialization.open = lambda *a, **k: Half(real_open(*a, **k))
    elif where == "before-rename":
        real_replace = os.replace
        def replace(*a):
            stop_here()
        os.replace = replace
    else:
        print("ready", flush=True)
    while True:
        serialization.save(model, path)
    """
    % (SIZES,)
)


@pytest.mark.parametrize("where", ["half-written", "before-rename", "anywhere"])
def test_sigkill_during_save_leaves_the_old_or_the_new_file(tmp_path, where):
    old, new = MLP(2, SIZES, seed=0), MLP(2, SIZES, seed=1)
    old_bytes = _bytes_of(old, tmp_path / "a.json")
    new_bytes = _bytes_of(new, tmp_path / "b.json")
    target = tmp_path / "model.json"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    outcomes, leftovers = [], 0
    for trial in range(10):  # x 3 kill points = 30 SIGKILLs
        save(old, target)
        child = subprocess.Popen(
            [sys.executable, str(script), str(target), where], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline() == "ready\n"
        if where == "anywhere":  # let it run a varying number of saves first
            for _ in range(trial * 50):
                os.stat(target)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        content = target.read_bytes()
        assert content in (old_bytes, new_bytes), f"trial {trial}: a torn file"
        outcomes.append("new" if content == new_bytes else "old")
        leftovers += bool(_ours(tmp_path))
        save(old, target)  # the next save cleans up after the killed one
        assert _ours(tmp_path) == [] and target.read_bytes() == old_bytes
    if where != "anywhere":
        assert outcomes == ["old"] * 10 and leftovers == 10  # the kill landed mid-save


def test_a_temporary_file_that_a_save_still_writes_is_left_alone(tmp_path):
    target = tmp_path / "model.json"
    busy = tmp_path / ".model.json.0123456789ab.tmp"
    stale = tmp_path / ".model.json.ba9876543210.tmp"
    others = [".model.json.xyz.tmp", ".other.json.0123456789ab.tmp", "model.json.0123456789ab.tmp"]
    for p in [busy, stale] + [tmp_path / n for n in others]:
        p.write_text("partial")
    (tmp_path / ".model.json.aaaaaaaaaaaa.tmp").symlink_to(tmp_path / others[0])
    with open(busy) as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as a save in another process holds it
        save(MLP(1, [1], seed=0), target)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert stale.name not in names  # left over by a killed save: removed
    assert busy.name in names and ".model.json.aaaaaaaaaaaa.tmp" in names
    assert all(n in names for n in others)  # not ours: untouched


def test_saving_through_a_symlink_writes_the_file_it_points_to(tmp_path):
    real = tmp_path / "store" / "model.json"
    real.parent.mkdir()
    save(MLP(1, [1], seed=0), real)
    link = tmp_path / "current.json"
    link.symlink_to(real)
    model = MLP(1, [1], seed=5)
    save(model, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == _bytes_of(model, tmp_path / "check.json")
    assert _ours(real.parent) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
def test_re_saving_keeps_the_permissions(tmp_path, mode):
    target = tmp_path / "model.json"
    save(MLP(1, [1], seed=0), target)
    os.chmod(target, mode)
    save(MLP(1, [1], seed=1), target)
    assert stat.S_IMODE(os.stat(target).st_mode) == mode


def test_the_directory_is_flushed_after_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(a, b):
        events.append("replace")
        real_replace(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    save(MLP(1, [1], seed=0), tmp_path / "model.json")
    assert events == ["fsync file", "replace", "fsync dir"]


class _FullDisk:
    """A file whose write fails as on a full disk (after writing nothing)."""

    def __init__(self, f):
        self.f = f

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.f, name)


@pytest.mark.parametrize("fault", ["write", "fsync"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, fault):
    target = tmp_path / "model.json"
    old_bytes = _bytes_of(MLP(1, [1], seed=0), target)
    if fault == "write":
        monkeypatch.setattr(serialization, "open", lambda *a, **k: _FullDisk(open(*a, **k)), raising=False)
    else:
        def fsync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError) as info:
        save(MLP(1, [1], seed=1), target)
    assert info.value.errno == errno.ENOSPC
    assert f"save: cannot write {str(target)!r}" in str(info.value)
    assert "free some disk space" in str(info.value)
    assert target.read_bytes() == old_bytes and _ours(tmp_path) == []


def test_permission_denied_names_the_path_and_leaves_the_old_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "model.json"
    old_bytes = _bytes_of(MLP(1, [1], seed=0), target)
    if os.geteuid() != 0:
        os.chmod(folder, 0o500)
        undo = lambda: os.chmod(folder, 0o700)  # noqa: E731
    else:
        # Root ignores file modes; an immutable folder stops even root.
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root, which ignores permissions, and chattr +i is unavailable here")
        undo = lambda: subprocess.run([chattr, "-i", str(folder)], check=True)  # noqa: E731
    try:
        with pytest.raises(PermissionError) as info:
            save(MLP(1, [1], seed=1), target)
    finally:
        undo()
    message = str(info.value)
    assert f"save: cannot write {str(target)!r}" in message and "choose a folder you may write to" in message
    assert target.read_bytes() == old_bytes and _ours(folder) == []
