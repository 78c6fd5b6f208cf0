"""The bounds on inputs and outputs, read from ``limits.yaml`` beside this module.

Every layer reads its bounds here (``limit("case_bytes")``), so that a bound is data
that can be seen and changed in one place, not a constant scattered in the code.
"""

from functools import lru_cache
from pathlib import Path

import yaml

LIMITS_FILE = Path(__file__).with_name("limits.yaml")


@lru_cache(maxsize=1)
def limits():
    """Every bound, by name (whole numbers)."""
    with open(LIMITS_FILE, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    bad = [name for name, value in data.items() if not isinstance(value, int) or value <= 0]
    if bad:
        raise ValueError(f"{LIMITS_FILE.name}: not a positive whole number: {', '.join(bad)}")
    return data


def limit(name):
    """The bound called ``name`` in ``limits.yaml``."""
    return limits()[name]


def size_text(count):
    """``1 MiB`` for a number of bytes, as the messages show a bound."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"
