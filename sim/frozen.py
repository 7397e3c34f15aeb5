"""A read-only mapping that survives pickling.

Parameters, run settings and run results cross process boundaries (a process pool, a
Dask cluster), but `types.MappingProxyType` cannot be pickled. `FrozenMapping` is the
read-only mapping used for them instead: immutable through its interface, hashable when
its values are, equal to any mapping with the same items, and picklable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMapping(Mapping[K, V]):
    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Any = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (self._data,))
