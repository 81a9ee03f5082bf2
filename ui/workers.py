"""The one way the desk runs slow work: off the GUI thread, result or error handed back by signal.

A function runs on Qt's thread pool. If it accepts a `progress` argument it is given a
callback; the core reports progress through such plain callbacks and never touches Qt.
Cancelling makes the next progress report raise the core's one `Cancelled` inside the worker,
so the core stops at a point of its own choosing (its transaction rolls back as for any other
error); a function that accepts a `cancel` argument is also given a check it may poll.
"""

from __future__ import annotations

import inspect
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from canteen.errors import Cancelled
from canteen.services import storage

__all__ = ["Cancelled", "Task", "run_task"]
_running: set["Task"] = set()  # keeps tasks alive until their result has been delivered


class Task(QObject):
    """A handle on work in progress: connect to its signals, or call `cancel()`."""

    progress = Signal(int, int, str)  # done, total (0 = unknown), what is being done
    done = Signal(object)             # the function's return value
    failed = Signal(object)           # the exception it raised (Cancelled when cancelled)
    ended = Signal()                  # after done or failed, for clean-up

    def __init__(self, fn: Callable, args: tuple, kwargs: dict):
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_cancelled(self) -> bool:
        """The check handed to a function that takes `cancel` (it runs on the worker thread)."""
        return self._cancel.is_set()

    def report(self, *args: Any) -> None:
        """Progress callback given to the function; accepts (done, total[, text]), (fraction) or (text)."""
        if self._cancel.is_set():
            raise Cancelled()
        numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
        text = next((str(a) for a in args if isinstance(a, str)), "")
        if len(numbers) >= 2:
            self.progress.emit(int(numbers[0]), int(numbers[1]), text)
        elif numbers:
            value = numbers[0]
            self.progress.emit(int(value * 100) if value <= 1 else int(value), 100, text)
        else:
            self.progress.emit(0, 0, text)

    def _call(self) -> Any:
        kwargs = dict(self._kwargs)
        if _accepts(self._fn, "progress"):
            kwargs.setdefault("progress", self.report)
        if _accepts(self._fn, "cancel", by_name_only=True):
            kwargs.setdefault("cancel", self.is_cancelled)
        return self._fn(*self._args, **kwargs)


def _accepts(fn: Callable, name: str, by_name_only: bool = False) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or (not by_name_only and any(p.kind is p.VAR_KEYWORD for p in params.values()))


class _Runner(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        task = self.task
        error, result = None, None
        try:
            result = task._call()
        except BaseException as exc:  # handed to the GUI thread, shown as a readable message
            error = Cancelled() if task.cancelled else exc
        storage.close_thread_connection()  # before the GUI thread hears of the end (it may remove the file)
        try:
            if error is None:
                task.done.emit(result)
            else:
                task.failed.emit(error)
            task.ended.emit()
        except RuntimeError:  # the handle went with the application (quit while working): nobody is left to tell
            _running.discard(task)


def run_task(fn: Callable, *args: Any, on_done: Callable | None = None, on_error: Callable | None = None,
             on_progress: Callable | None = None, **kwargs: Any) -> Task:
    """Run `fn(*args, **kwargs)` on the thread pool; the callbacks run on the GUI thread."""
    task = Task(fn, args, kwargs)
    if on_done:
        task.done.connect(on_done)
    if on_error:
        task.failed.connect(on_error)
    if on_progress:
        task.progress.connect(on_progress)
    _running.add(task)
    task.ended.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(_Runner(task))
    return task
