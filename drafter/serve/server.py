"""`drafter serve`: the web application on a local port, and the browser opened on it."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading

from ..errors import DrafterError

PORT = 8765
TRIES = 10  # the default port taken (another drafter serve?): the next ones are tried


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listening(host: str, port: int, exact: bool) -> socket.socket:
    """A socket bound to ``host``:``port``, or, unless ``exact``, to the first free port of the next few."""
    try:
        family = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        raise DrafterError(f"--host {host}：不是本机的地址或主机名") from None
    last: OSError | None = None
    for p in [port] if exact else range(port, port + TRIES):
        sock = socket.socket(family, socket.SOCK_STREAM)
        if sys.platform != "win32":  # on Windows this would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, p))
        except OSError as exc:
            sock.close()
            last = exc
            continue
        sock.listen(64)
        sock.set_inheritable(True)
        return sock
    ports = f"端口 {port}" if exact else f"端口 {port}–{port + TRIES - 1}"
    raise DrafterError(f"无法在 {host} 的{ports}上启动：{last.strerror if last else ''}（可能已有程序占用，"
                       "可用 --port 换一个端口，如 --port 8800）")


def addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, as others on the network would type them."""
    found = set()
    try:
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    try:  # the address of the route out, without sending anything
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def serve(host: str, port: int | None, open_browser: bool, plugins, registry) -> int:
    import uvicorn

    from .app import create_app

    sock = listening(host, port or PORT, exact=port is not None)
    port = sock.getsockname()[1]
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # where this machine's browser finds it
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/"
    app = create_app(plugins, registry, hosts=(host,))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=2))
    print(f"drafter 已启动：{url}（按 Ctrl-C 停止）", file=sys.stderr)
    if not loopback(host):
        others = [f"http://{a}:{port}/" for a in addresses()] if host in ("0.0.0.0", "::") else [url]
        print("注意：本机以外的电脑也能打开它（" + "、".join(others or [url]) + "）。同一网络中的任何人都可以用它起草、"
              "上传文件，并写入本机的上级来文库和发文机关资料；只在可信的内网这样用。只给本机用时不要加 --host。",
              file=sys.stderr)
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C while uvicorn was starting or stopping: stopped all the same
        pass
    finally:
        sock.close()
    print("drafter 已停止（所下载的文件和存入上级来文库的来文都已保存）。", file=sys.stderr)
    return 0


def _open_when_started(server, url: str) -> None:
    import time
    import webbrowser

    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        if not webbrowser.open(url):
            raise webbrowser.Error
    except webbrowser.Error:
        print(f"未能自动打开浏览器，请在浏览器中打开 {url}", file=sys.stderr)
