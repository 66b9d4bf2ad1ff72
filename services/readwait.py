"""Waiting for the read side without holding a thread (API.md, `min_position`).

A read that asks for a position its projections have not folded yet waits on an asyncio
condition: a coroutine, never a server thread, so a thousand waiting reads cost a thousand
small objects and nobody else's request waits behind them. What wakes them is the projections'
commit notification (projections/notify.py): each API process keeps one LISTEN connection and
fans every new position out to its waiters. There is no polling: after a lost connection the
positions are read again once LISTEN is back, which wakes whoever they satisfy.

A position above the log's head cannot come within any wait: 422 at once. One that can come
but does not within `TECHPLAN_READ_WAIT`: 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING

import anyio.to_thread
import psycopg

from projections.notify import CHANNEL, parse
from services.errors import Invalid, NotReady

if TYPE_CHECKING:
    from services.bootstrap import Container

log = logging.getLogger("techplan.readwait")

RECONNECT_AFTER = 1.0  # seconds between attempts to LISTEN again


class ReadSide:
    """One process's view of how far each projection has folded, kept by notifications."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.runner = container.runner
        self.positions: dict[str, int] = {}
        self.listening = False
        self.waiting = 0  # reads waiting right now (/metrics)
        self._changed = asyncio.Condition()
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="techplan-read-side")
        # Reads work without it (they look at the table), but are woken only once it listens.
        with suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def wait(self, min_position: int | None, names: Sequence[str]) -> None:
        """Return once every named projection (or view) has reached `min_position`."""
        if min_position is None or min_position <= 0 or self._reached(min_position, names):
            return
        head = await anyio.to_thread.run_sync(self.runner.log.max_position)
        if min_position > head:
            raise Invalid(
                f"min_position {min_position} is above the newest position ({head})",
                field="min_position",
            )
        if not self.listening:  # nothing would wake us: look at the table itself
            await self._set(await anyio.to_thread.run_sync(self._read_positions))
        nudge = self.container.nudge_projector  # a projector in this process, if any
        if nudge is not None:
            nudge()
        self.waiting += 1
        try:
            async with asyncio.timeout(self.container.settings.read_wait), self._changed:
                await self._changed.wait_for(lambda: self._reached(min_position, names))
        except TimeoutError:
            raise NotReady(
                f"the read side has not reached position {min_position} yet; retry shortly"
            ) from None
        finally:
            self.waiting -= 1

    def _reached(self, min_position: int, names: Sequence[str]) -> bool:
        positions = self._with_views(self.positions)
        return all(positions.get(name, 0) >= min_position for name in names)

    def _with_views(self, positions: Mapping[str, int]) -> dict[str, int]:
        return {**positions, **{v.name: v.position(positions) for v in self.runner.views}}

    def _read_positions(self) -> dict[str, int]:
        with self.container.read_db.tx() as cur:
            cur.execute("SELECT name, position FROM projection_tracking")
            return {r["name"]: r["position"] for r in cur.fetchall()}

    async def _set(self, positions: Mapping[str, int]) -> None:
        async with self._changed:
            self.positions.update(positions)
            self._changed.notify_all()

    async def _listen(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self.container.read_db.url, autocommit=True
                )
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    # Read after LISTEN: a position written in between is in both.
                    cur = await conn.execute("SELECT name, position FROM projection_tracking")
                    await self._set({name: position for name, position in await cur.fetchall()})
                    self.listening = True
                    self._ready.set()
                    async for note in conn.notifies():
                        name, position = parse(note.payload)
                        await self._set({name: position})
            except (psycopg.Error, OSError, ValueError) as exc:
                log.warning("listening for read-side positions failed, again in 1 s: %s", exc)
            finally:
                self.listening = False
            await asyncio.sleep(RECONNECT_AFTER)
