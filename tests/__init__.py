"""Test suite. A regular package, so that `tests.models...` resolves here even where an
installed distribution ships its own top-level `tests` package (Ciw 3.2 does)."""
