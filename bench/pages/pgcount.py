"""A loopback proxy in front of PostgreSQL that counts the statements clients send (what the server sees).

Every frontend message after the start-up packet is read as (type, length, payload): a simple Query ('Q') or
an extended-protocol Parse ('P') is one statement, BEGIN, ROLLBACK, set_config and the pool's ping included.
Used by run.py while it asks each page a fixed number of times, one request at a time.
"""

import socket
import struct
import threading


class StatementCounter:
    def __init__(self, upstream=("127.0.0.1", 5432)):
        self.upstream = upstream
        self.count = 0
        self.statements: list[str] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.count, self.statements = 0, []

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._frontend, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _pipe(self, source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _shut(source, sink)

    @staticmethod
    def _read(sock, n: int) -> bytes:
        chunks = b""
        while len(chunks) < n:
            part = sock.recv(n - len(chunks))
            if not part:
                raise ConnectionError
            chunks += part
        return chunks

    def _frontend(self, client, server) -> None:
        """Client → server: the start-up packets as they are, then message by message, counting statements."""
        try:
            while True:  # SSLRequest / GSSENCRequest (the server answers one byte), then the start-up packet
                length = struct.unpack("!I", self._read(client, 4))[0]
                body = self._read(client, length - 4)
                server.sendall(struct.pack("!I", length) + body)
                if struct.unpack("!I", body[:4])[0] not in (80877103, 80877104):
                    break
            while True:
                head = self._read(client, 5)
                kind, length = head[:1], struct.unpack("!I", head[1:])[0]
                payload = self._read(client, length - 4)
                if kind in (b"Q", b"P"):
                    text = payload.split(b"\x00")[1 if kind == b"P" else 0].decode("utf-8", "replace")
                    with self._lock:
                        self.count += 1
                        self.statements.append(" ".join(text.split())[:120])
                server.sendall(head + payload)
        except (OSError, ConnectionError):
            pass
        finally:
            _shut(client, server)

    def close(self) -> None:
        self._server.close()


def _shut(*sockets) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
