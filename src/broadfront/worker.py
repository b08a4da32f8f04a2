"""The worker process behind ``broadfront worker``: a process of its own, not the web layer.

The web layer only queues jobs (:mod:`broadfront.web.jobs.runner`); this module is what runs
them, in ``broadfront worker`` processes, which is why it may keep a heartbeat thread.

It is ``django_tasks_db``'s worker loop (claim a ready task with ``SELECT ... FOR UPDATE
SKIP LOCKED``, run it, record the outcome) with three additions: a heartbeat thread that
records the worker as alive every :data:`~broadfront.web.jobs.runner.HEARTBEAT_SECONDS` and
recovers the jobs of lost workers (:func:`~broadfront.web.jobs.runner.recover_lost`); a
maximum run time per job (a real-time interval timer raises
:class:`~broadfront.web.jobs.runner.JobTimeout` inside the job); and a worker id that names
the host and the process.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from types import FrameType
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker as _DbWorker

from broadfront.web.jobs import runner

log = logging.getLogger(__name__)

#: Seconds a worker waits before trying the database again after losing it.
RECONNECT_SECONDS = 2.0


def worker_id() -> str:
    """``host-pid``: unique among the workers sharing one database."""
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


class Worker(_DbWorker):
    """One worker process: runs tasks one at a time from ``queues``."""

    def __init__(self, *, queues: list[str], interval: float = 1.0, batch: bool = False,
                 max_tasks: int | None = None, max_seconds: int | None = None,
                 ident: str | None = None) -> None:
        super().__init__(queue_names=queues, interval=interval, batch=batch,
                         backend_name="default", startup_delay=not batch, max_tasks=max_tasks,
                         worker_id=ident or worker_id(), excluded_queue_names=[])
        self.max_seconds = max_seconds if max_seconds is not None else runner.max_run_seconds()
        self._stop_beating = threading.Event()

    # heartbeat ---------------------------------------------------------------------------

    def _beat_once(self) -> None:
        runner.beat(self.worker_id, host=socket.gethostname(), pid=os.getpid(),
                    queues=",".join(self.queue_names))
        runner.recover_lost()

    def _beat_forever(self) -> None:
        while not self._stop_beating.is_set():
            try:
                close_old_connections()
                self._beat_once()
            except Exception:  # the database may be down for a while: keep trying
                log.exception("worker %s could not record its heartbeat", self.worker_id)
            self._stop_beating.wait(runner.HEARTBEAT_SECONDS)
        connection.close()

    def run(self) -> None:
        self._beat_once()
        beating = threading.Thread(target=self._beat_forever, daemon=True,
                                   name=f"heartbeat-{self.worker_id}")
        beating.start()
        try:
            while True:
                try:
                    super().run()  # returns when stopped, or in batch mode when nothing waits
                    break
                except (OperationalError, InterfaceError) as exc:
                    # The database went away (restarted, network): wait and carry on with a
                    # fresh connection rather than die; the job in hand, if any, was rolled
                    # back and will be recovered through the lease.
                    if not self.running:
                        break
                    log.warning("worker %s: database unavailable (%s); retrying in %.0f s",
                                self.worker_id, exc, RECONNECT_SECONDS)
                    connection.close()
                    time.sleep(RECONNECT_SECONDS)
        finally:
            self._stop_beating.set()
            beating.join(timeout=runner.HEARTBEAT_SECONDS + 1)
            try:
                runner.forget_worker(self.worker_id)
            except Exception:
                log.exception("worker %s could not sign off", self.worker_id)

    # time limit --------------------------------------------------------------------------

    def run_task(self, db_task_result: Any) -> None:
        if not self.max_seconds or threading.current_thread() is not threading.main_thread():
            super().run_task(db_task_result)
            return

        def too_long(signum: int, frame: FrameType | None) -> None:
            raise runner.JobTimeout(f"the job ran longer than {self.max_seconds} s")

        previous = signal.signal(signal.SIGALRM, too_long)
        signal.setitimer(signal.ITIMER_REAL, float(self.max_seconds))
        try:
            super().run_task(db_task_result)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0.0)
            signal.signal(signal.SIGALRM, previous)
