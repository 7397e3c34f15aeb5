"""The one error every bad scenario or study input becomes."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario or study file that cannot be used.

    `file` is the file at fault (for a value inherited through `extends`, the file that
    set it), `key_path` the key inside it (``params.stations[1].rate``; ``(file)`` when the
    file as a whole is at fault) and `reason` why. ``str()`` is one line,
    ``FILE: KEY: REASON``, because planners read it in a terminal.
    """

    def __init__(self, file: str, key_path: str, reason: str) -> None:
        self.file = str(file)
        self.key_path = key_path
        self.reason = " ".join(str(reason).split())
        super().__init__(f"{self.file}: {self.key_path}: {self.reason}")
