"""Growable column stores used while simulating, so entity ids stay dense integers."""

from __future__ import annotations

import numpy as np


class Registry:
    """Rows with dense integer ids; columns are numpy arrays that grow on demand."""

    def __init__(self, capacity: int, **dtypes: np.dtype | type) -> None:
        self._size = 0
        self._columns = {
            name: np.zeros(max(capacity, 16), dtype=dtype) for name, dtype in dtypes.items()
        }

    def _reserve(self, extra: int) -> None:
        needed = self._size + extra
        current = len(next(iter(self._columns.values())))
        if needed <= current:
            return
        capacity = max(needed, 2 * current)
        for name, column in self._columns.items():
            grown = np.zeros(capacity, dtype=column.dtype)
            grown[: self._size] = column[: self._size]
            self._columns[name] = grown

    def new(self, count: int, **values: np.ndarray | int | float | bool) -> np.ndarray:
        """Append `count` rows and return their ids; unnamed columns are zero."""
        self._reserve(count)
        ids = np.arange(self._size, self._size + count, dtype=np.int64)
        for name, value in values.items():
            self._columns[name][ids] = value
        self._size += count
        return ids

    def set(self, name: str, ids: np.ndarray, value: np.ndarray | int | float | bool) -> None:
        self._columns[name][ids] = value

    def get(self, name: str) -> np.ndarray:
        return self._columns[name][: self._size]

    def frame(self) -> dict[str, np.ndarray]:
        return {name: column[: self._size].copy() for name, column in self._columns.items()}


class Collector:
    """Append-only columns gathered in chunks and concatenated once."""

    def __init__(self, *names: str) -> None:
        self._parts: dict[str, list[np.ndarray]] = {name: [] for name in names}

    def add(self, **columns: np.ndarray | int | float) -> None:
        lengths = {np.size(v) for v in columns.values() if np.ndim(v) > 0}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {lengths}")
        length = lengths.pop() if lengths else 1
        if length == 0:
            return
        if set(columns) != set(self._parts):
            raise ValueError(f"expected columns {sorted(self._parts)}, got {sorted(columns)}")
        for name, value in columns.items():
            array = np.asarray(value)
            self._parts[name].append(np.broadcast_to(array, (length,)).copy() if array.ndim == 0 else array)

    def frame(self) -> dict[str, np.ndarray]:
        # An empty column is int64, so it can still index other arrays.
        return {
            name: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            for name, parts in self._parts.items()
        }
