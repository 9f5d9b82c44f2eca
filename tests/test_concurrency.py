"""no_grad() shared by threads and asyncio tasks, async functions, and the collector.

Each test forces the interleaving that used to break (with Events, not
sleeps), so it fails deterministically when the mechanism is wrong.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from contextlib import contextmanager

import pytest

from micrograd_like import Value, enable_grad, is_grad_enabled, no_grad


def _records() -> bool:
    return bool((Value(1.0) * 2)._prev)


def _run(coroutine):
    """asyncio.run in a thread of its own: the browser tests' session-wide
    Playwright keeps an event loop running in the main thread, where
    asyncio.run would refuse to start."""
    outcome = {}

    def run() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as err:  # raised again below, in the test's thread
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_one_no_grad_instance_shared_by_two_threads_exiting_first_in_first_out():
    shared = no_grad()
    entered = [threading.Event(), threading.Event()]
    first_out = threading.Event()
    seen, errors = {}, []

    def worker(i: int) -> None:
        try:
            if i == 1:
                entered[0].wait()
            with shared:
                entered[i].set()
                if i == 0:
                    entered[1].wait()  # both are inside now; 0 leaves first
                else:
                    first_out.wait()
                seen[i, "inside"] = _records()
            seen[i, "after"] = _records()
            if i == 0:
                first_out.set()
        except BaseException as err:  # pragma: no cover - the failure being tested
            errors.append(err)
            first_out.set(), entered[1].set()

    threads = [threading.Thread(target=worker, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert seen == {(0, "inside"): False, (0, "after"): True, (1, "inside"): False, (1, "after"): True}
    assert is_grad_enabled()


def test_one_no_grad_instance_shared_by_asyncio_tasks_exiting_first_in_first_out():
    shared = no_grad()
    seen = {}

    async def task(i, my_turn, next_turn):
        with shared:
            await my_turn.wait()
            seen[i, "inside"] = _records()
        seen[i, "after"] = _records()
        next_turn.set()

    async def main():
        turns = [asyncio.Event() for _ in range(3)]
        tasks = [asyncio.create_task(task(i, turns[i], turns[i + 1])) for i in (0, 1)]
        await asyncio.sleep(0)  # both tasks are inside the block now
        turns[0].set()  # task 0 leaves first, then task 1
        await asyncio.gather(*tasks)

    _run(main())
    assert seen == {(0, "inside"): False, (0, "after"): True, (1, "inside"): False, (1, "after"): True}


def test_no_grad_on_a_coroutine_holds_while_it_runs_and_only_there():
    @no_grad
    async def evaluate(go: asyncio.Event):
        await go.wait()  # another task runs meanwhile, recording as usual
        return _records()

    async def other(go: asyncio.Event):
        recorded = _records()
        go.set()
        return recorded

    async def main():
        go = asyncio.Event()
        return await asyncio.gather(evaluate(go), other(go))

    assert _run(main()) == [False, True]
    assert is_grad_enabled()


def test_enable_grad_on_a_coroutine_inside_no_grad():
    @enable_grad()
    async def f():
        await asyncio.sleep(0)
        return _records()

    async def main():
        with no_grad():
            return await f(), _records()

    assert _run(main()) == (True, False)


def test_no_grad_refuses_an_async_generator_clearly():
    async def gen():
        yield 1

    with pytest.raises(TypeError, match="no_grad: cannot decorate the async generator 'gen'"):
        no_grad(gen)


@pytest.fixture
def collector():
    """The collector's state, put back whatever a test does to it."""
    if not hasattr(gc, "get_threshold"):  # a platform fact, not a missing oracle
        pytest.skip("PyPy's collector has no threshold (backward pauses nothing there)")
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def _blocking_backward(inside: threading.Event, release: threading.Event):
    # A node with micrograd's closure: backward() calls it, and it waits.
    x = Value(1.0)
    out = Value(2.0, (x,), "wait")

    def closure():
        inside.set()
        release.wait()

    out._backward = closure
    return threading.Thread(target=out.backward)


@contextmanager
def _backward_in_another_thread():
    """A backward() running in another thread, stopped inside until the block ends."""
    inside, release = threading.Event(), threading.Event()
    t = _blocking_backward(inside, release)
    t.start()
    inside.wait()
    try:
        yield
    finally:  # (also when an assert fails: never leave the thread waiting)
        release.set()
        t.join()


def test_backward_does_not_turn_the_collector_on_after_another_thread_turned_it_off(collector):
    gc.enable()
    with _backward_in_another_thread():
        gc.disable()  # the user's choice, made meanwhile in this thread
    assert not gc.isenabled()


def test_overlapping_backward_calls_restore_the_collector_once_at_the_end(collector):
    gc.enable()
    gc.set_threshold(700, 10, 10)
    x = Value(3.0)
    with _backward_in_another_thread():
        (x * x).backward()  # a whole backward() inside the other one
        paused_after_inner = gc.get_threshold()[0] == 0  # the other is not done
    assert paused_after_inner
    assert gc.isenabled() and gc.get_threshold() == (700, 10, 10)
    assert x.grad == 6.0


def test_a_threshold_the_user_sets_during_backward_is_kept(collector):
    with _backward_in_another_thread():
        gc.set_threshold(1234, 5, 6)
    assert gc.get_threshold() == (1234, 5, 6)


def test_backward_leaves_a_disabled_collector_disabled(collector):
    gc.disable()
    x = Value(2.0)
    (x * x).backward()
    assert not gc.isenabled() and x.grad == 4.0
