"""The SSRF guard: where a webhook may point.

A URL must be http(s), without credentials, and every address its host resolves to must be a
global unicast one. Refused always, whatever the settings:
- cloud metadata endpoints, also when an IPv6 address carries one;
- IPv6 addresses that carry an IPv4 address (IPv4-mapped, -translated and -compatible, NAT64,
  6to4, Teredo, ISATAP): the address checked is then not the address reached, because a relay
  or the host's dual stack delivers to the IPv4 one inside. No receiver needs them: a host is
  named by its IPv4 address or its native IPv6 one;
- addresses where no receiver can be: unspecified, "this network", multicast, broadcast and
  reserved ranges.
Internal addresses (private, loopback, link-local, shared/CGNAT, unique local) are refused too
unless TECHPLAN_WEBHOOK_ALLOW_PRIVATE is set. Everything else must be global unicast: `is_global`
from `ipaddress` and, because its tables change between Python releases, explicit ranges from
the IANA special-purpose registries, and for IPv6 the global unicast block 2000::/3.

The check runs when a subscription is saved and again on every connection a delivery opens
(`GuardedBackend`), against the very address it connects to, so a DNS answer that changes after
the check cannot redirect a delivery inside the network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
AsyncResolver = Callable[[str, int], Awaitable[list[str]]]
V4 = ipaddress.IPv4Address
V6 = ipaddress.IPv6Address


def _nets(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.170.23",  # AWS EKS pod identity
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity over IPv6
        "fd20:ce::254",  # GCP over IPv6
        "168.63.129.16",  # Azure wire server (a public address, so named here)
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "169.254.0.23",  # Tencent Cloud
    )
)

# What TECHPLAN_WEBHOOK_ALLOW_PRIVATE lets through: a network of one's own, nothing more.
INTERNAL: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = (
    ("loopback", _nets("127.0.0.0/8", "::1/128")),
    ("link-local", _nets("169.254.0.0/16", "fe80::/10")),
    ("private", _nets("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10")),
    ("shared (CGNAT)", _nets("100.64.0.0/10")),
)

# Not global unicast, by the IANA special-purpose registries; `is_global` misses some of them
# in one Python release or another (3.11.7 calls ::127.0.0.1, 64:ff9b::/96 and 2002::/16 global).
NOT_GLOBAL_V4 = _nets(
    "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
    "192.0.0.0/24",  # IETF protocol assignments
    "192.0.2.0/24",  # documentation
    "192.88.99.0/24",  # 6to4 relay anycast
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # documentation
    "203.0.113.0/24",  # documentation
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, and the broadcast address
)
GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
NOT_GLOBAL_V6 = _nets(
    "2001::/23",  # IETF protocol assignments (Teredo among them)
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation
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


def embedded_ipv4(ip: V6) -> tuple[str, V4 | None] | None:
    """(form, the IPv4 address inside) when `ip` is an IPv6 form that carries one, else None.
    The address is None where the form hides it (a NAT64 prefix of the network's choosing)."""
    n = int(ip)
    low32 = V4(n & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if n >> 32 == 0xFFFF0000:  # ::ffff:0:a.b.c.d
        return "IPv4-translated", low32
    if n >> 32 == 0 and n > 1:  # ::a.b.c.d; :: and ::1 are themselves
        return "IPv4-compatible", low32
    if ip in NAT64:
        return "NAT64", low32
    if ip in NAT64_LOCAL:
        return "NAT64 (local use)", None
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    if (n >> 32) & 0xFDFFFFFF == 0x00005EFE:  # interface id [02]00:5efe:a.b.c.d
        return "ISATAP", low32
    return None


def refusal(address: str, allow_private: bool) -> str | None:
    """Why a delivery may not connect to `address`, or None when it may."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if ip in METADATA:
        return f"{ip} is a cloud metadata address"
    if isinstance(ip, V6):
        carried = embedded_ipv4(ip)
        if carried is not None:
            form, inner = carried
            if inner in METADATA:
                return f"{ip} carries the cloud metadata address {inner} ({form})"
            inside = f" {inner}" if inner is not None else ""
            return f"{ip} carries an IPv4 address{inside} ({form}): use the IPv4 address itself"
    if ip.is_unspecified or ip.is_multicast:
        return f"{ip} is not a unicast address"
    for kind, networks in INTERNAL:
        if any(ip in net for net in networks):
            return None if allow_private else f"{ip} is a {kind} address"
    if not ip.is_global:
        return f"{ip} is not a global unicast address"
    if isinstance(ip, V4):
        if any(ip in net for net in NOT_GLOBAL_V4):
            return f"{ip} is not a global unicast address"
    elif ip not in GLOBAL_UNICAST_V6 or any(ip in net for net in NOT_GLOBAL_V6):
        return f"{ip} is not a global unicast address"
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


async def resolve_async(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from None
    return [str(info[4][0]) for info in infos]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, checks every address, and connects to a checked one."""

    def __init__(
        self,
        allow_private: bool,
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: AsyncResolver = resolve_async,
    ):
        self.allow_private = allow_private
        self.inner = inner or httpcore.AnyIOBackend()
        self.resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = check_addresses(host, await self.resolver(host, port), self.allow_private)
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
