"""The one background helper: result or error back on the GUI thread, progress, cancel."""

from __future__ import annotations

import threading

import pytest

from ui.workers import Cancelled, run_task


def test_result_comes_back_on_the_gui_thread(qtbot, qapp):
    seen = {}
    gui = threading.get_ident()

    def slow_sum(n):
        seen["worker"] = threading.get_ident()
        return sum(range(n))

    def done(value):
        seen["value"], seen["thread"] = value, threading.get_ident()

    run_task(slow_sum, 1000, on_done=done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 499500 and seen["thread"] == gui and seen["worker"] != gui


def test_error_and_progress_and_cancel(qtbot, qapp):
    errors, steps = [], []
    release = threading.Event()

    def counting(progress=None):
        for i in range(1000):
            progress(i, 1000, "counting")
            if i == 3:
                release.wait(5)
        return "finished"

    task = run_task(counting, on_error=errors.append, on_progress=lambda d, t, s: steps.append(d))
    qtbot.waitUntil(lambda: len(steps) >= 3)
    task.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)

    failures = []
    run_task(lambda: 1 / 0, on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ZeroDivisionError)
    with pytest.raises(ZeroDivisionError):
        raise failures[0]


def test_a_task_whose_handle_is_gone_ends_quietly(qtbot, qapp):
    """The desk quit (its objects deleted) while a worker ran: the worker's answer has nobody to go
    to. It is dropped, and the task is not kept alive for ever."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    from ui import workers
    started, release = threading.Event(), threading.Event()

    def waits():
        started.set()
        release.wait(5)
        return "late"

    task = run_task(waits)
    qtbot.waitUntil(started.is_set)
    shiboken6.delete(task)
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    assert task not in workers._running
