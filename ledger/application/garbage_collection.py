"""Pausing Python's cyclic garbage collector around bulk work that makes no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector paused, then resume it if it was running.

    Recording a batch of commands, or folding and encoding read models, makes millions of short
    lived objects (events, aggregates, JSON trees and the tuples `json` makes per key) and no
    cycles. Each allocation brings the next collection closer, and the collector then walks every
    long-lived object in the process (a whole import file's commands, say) to find nothing: up to
    a third of the work. Reference counting frees all of it as before; cycles made meanwhile
    anywhere in the process are collected once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
