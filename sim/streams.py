"""Named random streams derived from one root seed.

Each stochastic source draws from its own generator, seeded by
``SeedSequence(root_seed, spawn_key=(replication, crc32(name)))``. A stream depends on
nothing but those three values, so adding a stream or a block never changes the draws of
the others, and two scenarios that differ only in a policy lever see the same arrivals
and service draws (common random numbers).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np

from sim.distributions import Distribution, uniform_sampler


class Streams:
    """The random streams of one replication."""

    def __init__(self, root_seed: int, replication: int) -> None:
        if root_seed < 0 or replication < 0:
            raise ValueError("root seed and replication must be >= 0")
        self.root_seed = root_seed
        self.replication = replication
        self._used: set[str] = set()

    def generator(self, name: str) -> np.random.Generator:
        """The generator of stream `name`; each name may be taken once per replication,
        because two blocks sharing a stream would couple their draws."""
        if name in self._used:
            raise ValueError(f"random stream {name!r} is already used in this replication")
        self._used.add(name)
        key = (self.replication, zlib.crc32(name.encode("utf-8")))
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.root_seed, spawn_key=key)))

    def sampler(self, name: str, distribution: Distribution) -> Callable[[], float]:
        """Successive draws of `distribution` on stream `name`."""
        return distribution.sampler(self.generator(name))

    def uniform(self, name: str) -> Callable[[], float]:
        """Successive U(0, 1) draws on stream `name`."""
        return uniform_sampler(self.generator(name))
