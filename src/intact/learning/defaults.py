"""The default topics and tags as data (``data/*.yaml``, sources named there)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """One data file, parsed once per process."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def conversation_topics() -> list[dict[str, Any]]:
    return load("conversation_topics")["topics"]


def case_law_tags() -> dict[str, list[dict[str, Any]]]:
    data = load("case_law_tags")
    return {"core_value": data["core_values"], "topic": data["topics"]}
