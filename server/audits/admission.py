"""How many audits may run at once: a place is reserved before any slow work (storing uploads),
so a busy server answers 429 at once and never leaves a half-made audit behind."""

from __future__ import annotations

from server.errors import TooManyAudits


class Admission:
    """Counts running and reserved places against `max_running`."""

    def __init__(self, max_running: int) -> None:
        self.max_running = max_running
        self.running = 0
        self.reserved = 0

    def reserve(self) -> Reservation:
        """A place among the running audits; raises TooManyAudits when there is none."""
        if self.running + self.reserved >= self.max_running:
            raise TooManyAudits(self.max_running)
        self.reserved += 1
        return Reservation(self)


class Reservation:
    """A place held between admission and start; `release()` gives it back (idempotent)."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self.active = True

    def release(self) -> None:
        if self.active:
            self.active = False
            self._admission.reserved -= 1
