"""The SSRF guard: where a webhook may point.

A URL must be http(s), without credentials, and every address its host resolves to must be a
public one: private, loopback, link-local, shared (CGNAT), reserved, multicast and unspecified
addresses are refused unless TECHPLAN_WEBHOOK_ALLOW_PRIVATE is set. Cloud metadata endpoints are
refused even then. The check runs when a subscription is saved and again on every connection
a delivery opens (`GuardedBackend`), against the very address it connects to, so a DNS answer
that changes after the check cannot redirect a delivery inside the network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable, Iterable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


class UnsafeUrl(Exception):
    """The URL may not receive webhooks; the message says why, for the integrator."""


def parse(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable webhook URL, else UnsafeUrl."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("the URL must be http:// or https://")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("the URL must not carry credentials")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def refusal(address: str, allow_private: bool) -> str | None:
    """Why a delivery may not connect to `address`, or None when it may."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return f"{ip} is a cloud metadata address"
    if allow_private:
        return None
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_private:
        return f"{ip} is a private address"
    if not ip.is_global or ip.is_multicast:
        return f"{ip} is not a public address"
    return None


def check_addresses(host: str, addresses: Iterable[str], allow_private: bool) -> list[str]:
    found = list(dict.fromkeys(addresses))
    if not found:
        raise UnsafeUrl(f"{host} does not resolve to any address")
    for address in found:
        reason = refusal(address, allow_private)
        if reason is not None:
            raise UnsafeUrl(f"{host} is refused: {reason}")
    return found


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(f"{host} cannot be resolved: {exc}") from None
    return [str(info[4][0]) for info in infos]


def check_url(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> list[str]:
    """Refuse (UnsafeUrl) a URL that may not receive webhooks; returns its host's addresses."""
    _, host, port = parse(url)
    return check_addresses(host, resolver(host, port), allow_private)


# ---------------------------------------------------------------- at delivery time


class Blocked(httpcore.ConnectError):
    """A connection the guard refused; httpx reports it as a ConnectError with this message."""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, checks every address, and connects to a checked one."""

    def __init__(self, allow_private: bool, inner: httpcore.AsyncNetworkBackend | None = None):
        self.allow_private = allow_private
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from None
        try:
            addresses = check_addresses(host, [str(i[4][0]) for i in infos], self.allow_private)
        except UnsafeUrl as exc:
            raise Blocked(f"blocked: {exc}") from None
        return await self.inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise Blocked("blocked: webhooks are not delivered over Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_client(
    allow_private: bool, timeout: float, max_connections: int = 100
) -> httpx.AsyncClient:
    """An httpx client for deliveries: guarded connections, no redirects, no cookies, no
    proxies from the environment (a proxy would connect on our behalf, past the guard)."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(allow_private),
    )
    # No cookie jar: a receiver's cookies must never travel with other deliveries (another
    # tenant's, say) to the same host.
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        cookies=no_cookies,
        timeout=httpx.Timeout(timeout),
        headers={"user-agent": "Techplan-Webhooks/1"},
    )
