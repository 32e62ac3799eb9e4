"""A stand-in for API Gateway in front of the local stack: only the stage's paths exist
(`/api/...`, forwarded with the prefix stripped, and `/api` itself as the root resource); any
other path is refused as API Gateway refuses it (403 "Missing Authentication Token"). Its parts
can be made unreachable, as a network outage would: the connection closes with no answer."""
from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization",
              "proxy-authenticate", "host", "content-length"}


@dataclass
class StageProxy:
    upstream: str                         # the local stack, e.g. http://127.0.0.1:8000
    stage: str = "api"
    unreachable: set[str] = field(default_factory=set)   # path prefixes under the stage ("portal/", "assets/")
    refused: list[str] = field(default_factory=list)     # requests outside the stage, as the browser sent them
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The stage's URL, as the template's EndpointURL names it (with its trailing slash)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{self.stage}/"

    def __enter__(self) -> "StageProxy":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="stage-proxy", daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _inside_stage(self, path: str) -> str | None:
        """The path the API sees ("/portal/me"), or None when it is not under the stage."""
        prefix = f"/{self.stage}"
        if path == prefix or path.startswith(prefix + "/"):
            return path[len(prefix):] or "/"
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                pass

            def _any(self) -> None:
                target = urlsplit(self.path)
                inner = proxy._inside_stage(target.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if inner is None:
                    proxy.refused.append(f"{self.command} {self.path}")
                    return self._answer(403, {"Content-Type": "application/json"},
                                        b'{"message":"Missing Authentication Token"}')
                if any(inner.lstrip("/").startswith(part) for part in proxy.unreachable):
                    self.close_connection = True       # as if the network dropped it: no answer at all
                    return
                self._forward(inner + (f"?{target.query}" if target.query else ""), body)

            def _forward(self, path: str, body: bytes) -> None:
                upstream = urlsplit(proxy.upstream)
                connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
                connection.request(self.command, path, body=body or None, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                connection.close()
                self._answer(answer.status, {name: value for name, value in answer.getheaders()
                                             if name.lower() not in HOP_BY_HOP}, content)

            def _answer(self, status: int, headers: dict, content: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        return Handler
