"""The time a report is dated: now, or ``SOURCE_DATE_EPOCH`` for a reproducible build."""

from __future__ import annotations

import datetime as dt
import os

__all__ = ["run_time"]


def run_time() -> dt.datetime:
    """Now, in UTC; or the time in SOURCE_DATE_EPOCH when it is set, for reproducible builds.

    Returns
    -------
    datetime.datetime
        A time zone-aware time in UTC, to the second.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
