"""What may reach the local server (an ASGI middleware in front of the application).

A web page open elsewhere in the same browser must not drive drafter: a request whose Host is not this server's
(DNS rebinding: a foreign name resolving to 127.0.0.1) or whose Origin, or Sec-Fetch-Site, says it comes from
another site is refused with 403. A request larger than UPLOAD_BYTES is refused with 413, by its declared length
before it is read, and by counting while it arrives."""

from __future__ import annotations

import ipaddress
import json
import socket

from ..limits import UPLOAD_BYTES


def _hostname(host: str) -> str:
    """"127.0.0.1:8765" → "127.0.0.1"; "[::1]:8765" → "::1"; "localhost" → "localhost"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class TooLarge(Exception):
    pass


class Guard:
    def __init__(self, app, hosts: tuple[str, ...] = ()):
        self.app = app
        # A name, not an IP address, is the way a foreign page reaches a local server (DNS rebinding): only these.
        self.names = {"localhost", *(h.lower() for h in hosts)}
        try:
            self.names.add(socket.gethostname().lower())
        except OSError:
            pass

    def allowed_host(self, host: str) -> bool:
        name = _hostname(host)
        return _is_ip(name) or name in self.names

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self.allowed_host(host):
            return await refuse(send, 403, f"拒绝访问：请求的主机名“{host}”不是本机的 drafter（只接受 localhost、本机名"
                                           "或 IP 地址），以防别处的网页借浏览器操作 drafter")
        origin = headers.get("origin")
        if origin is not None and origin.lower() != f"http://{host.lower()}":
            return await refuse(send, 403, f"拒绝来自其他网页（{origin}）的请求：只有 drafter 自己的网页可以使用它")
        if headers.get("sec-fetch-site") == "cross-site":
            return await refuse(send, 403, "拒绝来自其他网站的请求：只有 drafter 自己的网页可以使用它")
        limit = UPLOAD_BYTES.amount
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return await refuse(send, 413, UPLOAD_BYTES.message("所发的请求", f"{int(declared) / 1024 / 1024:.1f} MB"))
        seen = 0
        over = sent = False
        too_large = UPLOAD_BYTES.message("所发的请求", "超出时即停止接收")

        async def counted():
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise TooLarge
            return message

        async def sending(message):  # past the limit, whatever the application answers (a form parser: 400) is 413
            nonlocal sent
            if not over:
                await send(message)
            elif not sent:
                sent = True
                await refuse(send, 413, too_large)

        try:
            await self.app(scope, counted, framed(sending))
        except TooLarge:
            if not sent:
                await refuse(send, 413, too_large)


def framed(send):
    """Responses that no page of another site may show in a frame (for browsers that send no Sec-Fetch-Site); the
    page's own preview frame (a PDF of this server) may show them."""
    async def sending(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"x-frame-options", b"SAMEORIGIN"),
                                              (b"content-security-policy", b"frame-ancestors 'self'")]}
        await send(message)
    return sending


async def refuse(send, status: int, message: str) -> None:
    body = json.dumps({"message": message, "problems": []}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
