"""Two people at once, and a process killed while it writes: the registry and the output folder take a lock, so that
of two writers exactly one succeeds and the other is told why; a .docx and its .yaml are published together, so that
a crash leaves the old pair or the new pair, never a mix, and the next write into the folder tidies what is left."""

import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time

import docx
import pytest
import yaml

from drafter import limits, output
from drafter.errors import OutputError

ROUNDS = 20


def drafter(*args, env):
    return subprocess.Popen([sys.executable, "-m", "drafter", *map(str, args)], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ours(folder):
    """What a writer may leave behind in a folder besides the files it writes: hidden temps, old copies, journal,
    lock."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("same_output", [True, False], ids=["same output", "same 文号 only"])
def test_of_two_writers_exactly_one_succeeds_and_the_other_is_told_why(tmp_path, same_output):
    started = time.monotonic()
    for n in range(ROUNDS):
        folder = tmp_path / f"第{n}轮"
        registry = folder / "库"
        registry.mkdir(parents=True)
        env = {"DRAFTER_PARENTS_DIR": str(registry), "DRAFTER_HOME": str(folder / "home")}
        outs = [folder / "通知.docx"] * 2 if same_output else [folder / "甲.docx", folder / "乙.docx"]
        runs = [drafter("new", "--defaults", "--register", "-o", out, env=env) for out in outs]
        results = [(run.wait(timeout=60), *run.communicate()) for run in runs]
        won = [r for r in results if r[0] == 0]
        lost = [r for r in results if r[0] != 0]
        assert len(won) == 1 and len(lost) == 1, f"round {n}: {[r[0] for r in results]} {[r[2] for r in results]}"
        told = lost[0][2]
        assert "已存在" in told or "已有" in told or "正由另一个 drafter 写入" in told, told
        assert "Traceback" not in told
        assert "已加入上级来文库" in won[0][2]
        assert len([p for p in registry.iterdir() if p.suffix == ".yaml"]) == 1
        written = sorted(p.name for p in folder.iterdir() if p.suffix in (".docx", ".yaml"))
        assert len(written) == 2, written  # the winner's pair only
        assert ours(folder) == [] and ours(registry) == []
    assert time.monotonic() - started < 120


def pair_agrees(folder):
    """The .docx and the .yaml in ``folder`` are one pair: the 文号 number the answers give is the document's."""
    number = yaml.safe_load((folder / "通知.yaml").read_text(encoding="utf-8"))["number"]
    text = "\n".join(p.text for p in docx.Document(str(folder / "通知.docx")).paragraphs)
    return number, f"〔2025〕{number}号" in text


def test_a_kill_at_any_moment_leaves_the_old_pair_or_the_new_one(tmp_path):
    folder, answers = tmp_path / "出", tmp_path / "答案"
    folder.mkdir()
    answers.mkdir()
    env = {"DRAFTER_HOME": str(tmp_path / "home")}
    first = drafter("new", "--defaults", "--set", "number=1", "-o", folder / "通知.docx", env=env)
    assert first.wait(timeout=60) == 0, first.communicate()
    began = time.monotonic()
    timing = drafter("new", "--defaults", "--set", "number=2", "-o", folder / "通知.docx", "--force", env=env)
    assert timing.wait(timeout=60) == 0
    whole = time.monotonic() - began
    rng, current, seen = random.Random(14), 2, set()
    for n in range(3, 3 + ROUNDS):
        given = answers / f"{n}.yaml"
        given.write_text(f"number: {n}\n", encoding="utf-8")
        run = drafter("new", "--answers", given, "-o", folder / "通知.docx", "--force", env=env)
        if n % 2:  # at a random moment of the run
            time.sleep(rng.uniform(0.5, 1.1) * whole)
        else:  # while it writes: once its first file appears, within a few milliseconds
            until = time.monotonic() + 3 * whole
            while not ours(folder) and run.poll() is None and time.monotonic() < until:
                pass
            time.sleep(rng.uniform(0, 0.004))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        # The next write into the folder (another notice) repairs what the killed one left.
        other = drafter("new", "--defaults", "-o", folder / "另一份.docx", "--force", env=env)
        assert other.wait(timeout=60) == 0, other.communicate()
        number, agrees = pair_agrees(folder)
        assert agrees, f"round {n}: the .yaml says {number}, the .docx does not"
        assert number in (current, n), f"round {n}: {number}"
        seen.add("new" if number == n else "old")
        current = number
        assert ours(folder) == [], ours(folder)
    assert seen, "no round was checked"


# Each step of write_files at which a crash is simulated (os._exit in a child process): the k-th call of these.
CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from drafter import output
    k, folder, tag = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    calls = 0
    def crashing(real):
        def call(*args, **kwargs):
            global calls
            calls += 1
            if calls == k:
                os._exit(9)
            return real(*args, **kwargs)
        return call
    for name in ("replace", "rename", "link", "unlink", "fsync", "remove"):
        setattr(output.os, name, crashing(getattr(os, name)))
    output.write_files({folder / "通知.docx": tag.encode() * 1000, folder / "通知.yaml": tag.encode()}, force=True)
    print(calls)
""")


def test_a_crash_at_each_step_of_a_write_is_repaired_by_the_next(tmp_path):
    folder = tmp_path / "出"
    folder.mkdir()
    output.write_files({folder / "通知.docx": b"old" * 1000, folder / "通知.yaml": b"old"}, force=True)
    full = subprocess.run([sys.executable, "-c", CRASH, "0", folder, "old"], capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    steps = int(full.stdout)
    assert steps >= 8
    outcomes = set()
    for k in range(1, steps + 1):
        tag = f"n{k}"
        crashed = subprocess.run([sys.executable, "-c", CRASH, str(k), folder, tag], capture_output=True, text=True)
        assert crashed.returncode == 9, crashed.stderr
        output.recover(folder)
        docx_, yaml_ = (folder / "通知.docx").read_bytes(), (folder / "通知.yaml").read_bytes()
        assert docx_ == yaml_ * 1000, f"crash at step {k}: a mixed pair"
        outcomes.add("new" if yaml_ == tag.encode() else "old")
        assert ours(folder) == [], f"crash at step {k}: {ours(folder)}"
    assert outcomes == {"old", "new"}


def hold(folder, host, pid, when, clock=0.0):
    """A lock file as another drafter writes it, taken at ``when`` (seconds since the epoch) by a computer whose
    clock is ``clock`` seconds ahead of ours."""
    lock = folder / ".drafter.lock"
    since = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(when + clock))
    lock.write_text(f"{host}\n{pid}\n{since}\n", encoding="utf-8")
    os.utime(lock, (when, when))


@pytest.mark.parametrize("clock", [0, -2 * limits.LOCK_STALE.amount], ids=["same clock", "clock behind"])
def test_a_lock_held_by_someone_else_is_waited_for_then_named(tmp_path, monkeypatch, clock):
    monkeypatch.setattr(limits, "LOCK_SECONDS", limits.Limit(1, "秒", limits.LOCK_SECONDS.what))
    hold(tmp_path, "另一台电脑", 4242, time.time(), clock)
    started = time.monotonic()
    with pytest.raises(OutputError) as told:
        output.write_files({tmp_path / "通知.yaml": b"x"}, force=False)
    assert 1 <= time.monotonic() - started < 5
    assert "另一台电脑" in str(told.value) and "4242" in str(told.value) and "正由另一个 drafter 写入" in str(told.value)
    assert "1秒" in str(told.value) and " 起" in str(told.value) and not (tmp_path / "通知.yaml").exists()
    assert (tmp_path / ".drafter.lock").exists()  # not ours to remove


def test_a_lock_left_by_a_dead_process_or_long_ago_is_broken(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    hold(tmp_path, socket.gethostname(), dead.pid, time.time())
    started = time.monotonic()
    output.write_files({tmp_path / "a.yaml": b"a"}, force=False)
    assert time.monotonic() - started < 2 and (tmp_path / "a.yaml").read_bytes() == b"a"
    assert ours(tmp_path) == []

    hold(tmp_path, "另一台电脑", 4242, time.time() - 2 * limits.LOCK_STALE.amount)
    output.write_files({tmp_path / "b.yaml": b"b"}, force=False)
    assert (tmp_path / "b.yaml").read_bytes() == b"b" and ours(tmp_path) == []


def test_an_empty_lock_left_by_a_writer_stopped_as_it_made_it_is_broken(tmp_path):
    """A writer stopped between making its lock file and writing who it is leaves the file empty: it is not waited
    for (LOCK_SECONDS), but broken once it has stayed empty for a moment by the waiter's own clock (a shared folder's
    clock may differ)."""
    lock = tmp_path / output.LOCK
    lock.write_bytes(b"")
    started = time.monotonic()
    output.write_files({tmp_path / "a.yaml": b"a"}, force=False)
    took = time.monotonic() - started
    assert output.EMPTY_SECONDS <= took < limits.LOCK_SECONDS.amount / 2 and (tmp_path / "a.yaml").read_bytes() == b"a"
    assert ours(tmp_path) == []
