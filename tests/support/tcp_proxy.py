"""A tiny TCP proxy for fault tests: put it between a client and a server to
cut every connection and refuse new ones for a while (a database restart, an
instance gone), and to see which server answered last.

    with TcpProxy(5432) as proxy:            # listens on 127.0.0.1:proxy.port
        ... DATABASE_URL=...@127.0.0.1:{proxy.port}/db ...
        proxy.refuse()                       # connections cut, new ones refused
        proxy.allow()                        # the same port accepts again

It runs an asyncio loop in a background thread, so the test itself stays
synchronous.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from contextlib import suppress
from types import TracebackType

from tests.support.stack import free_port

CHUNK = 65536


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.bytes_down = 0  # bytes the server sent back through the proxy
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        self.allow()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)  # type: ignore[arg-type]

    def allow(self) -> None:
        """Listen (again) on the same port and pass connections through."""
        self._run(self._listen())

    def refuse(self) -> None:
        """Stop listening (new connections are refused) and reset every open one."""
        self._run(self._refuse())

    def close(self) -> None:
        if self._thread.is_alive():
            self.refuse()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._connection, "127.0.0.1", self.port, reuse_address=True
            )

    async def _refuse(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            _reset(writer)
        self._writers.clear()

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _reset(client_writer)  # the server is gone: as if it had refused
            return
        self._writers.update((client_writer, server_writer))
        await asyncio.gather(
            self._pipe(client_reader, server_writer, count=False),
            self._pipe(server_reader, client_writer, count=True),
        )
        self._writers.difference_update((client_writer, server_writer))

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, count: bool
    ) -> None:
        try:
            while data := await reader.read(CHUNK):
                if count:
                    self.bytes_down += len(data)
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            with suppress(OSError, RuntimeError):
                writer.close()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset, as a crashed server's kernel would."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
