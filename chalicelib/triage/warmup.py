"""Explicit warm-up for the worker's init phase: load every data file and the segmenter up front."""

from __future__ import annotations

import gc

from .classifier import classify
from .triage_model import triage_model


def warm(*, freeze_gc: bool = True) -> None:
    """Load all triage data (first classify call) and optionally move it out of the GC's reach.

    ``gc.freeze()`` keeps full collections from re-scanning the ~30k long-lived objects (regexes,
    lexicons), which otherwise shows up as multi-millisecond p99 spikes. Call it once per container.
    """
    classify("快递到哪了")
    triage_model()  # the second opinion loads on the first unsure message; load it here, before the freeze
    if freeze_gc:
        gc.freeze()
