# -*- coding: utf-8 -*-
"""Runs delayed completions (a backup that ends, an export that lands) on one background thread.

Delays use the monotonic clock. cancel_all() (on reset) drops every pending job: a job belongs to
a generation, and a job of an older generation is skipped when it comes due.
"""

import heapq
import itertools
import threading
import time


class Scheduler(object):

    def __init__(self, on_error=None):
        self._cond = threading.Condition()
        self._heap = []
        self._seq = itertools.count()
        self._generation = 0
        self._stopped = False
        self._on_error = on_error
        self._thread = threading.Thread(target=self._run, name="ncpsim-scheduler", daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=5)

    def after(self, seconds, func):
        """Run func() about `seconds` from now."""
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + max(0.0, seconds), next(self._seq),
                                        self._generation, func))
            self._cond.notify_all()

    def cancel_all(self):
        with self._cond:
            self._generation += 1
            self._heap = []
            self._cond.notify_all()

    def pending(self):
        with self._cond:
            return len(self._heap)

    def _next_due(self):
        """Pop and return the next job that is due, waiting as needed; None when stopped."""
        with self._cond:
            while not self._stopped:
                if self._heap:
                    delay = self._heap[0][0] - time.monotonic()
                    if delay <= 0:
                        _due, _seq, generation, func = heapq.heappop(self._heap)
                        if generation == self._generation:
                            return func
                        continue
                    self._cond.wait(delay)
                else:
                    self._cond.wait()
            return None

    def _run(self):
        while True:
            func = self._next_due()
            if func is None:
                return
            try:
                func()
            except Exception as error:  # pylint: disable=broad-except
                # A failing job must not stop the others; report it and go on.
                if self._on_error:
                    self._on_error(error)
