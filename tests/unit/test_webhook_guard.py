"""The SSRF guard with TECHPLAN_WEBHOOK_ALLOW_PRIVATE off: where webhooks may not point."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
import pytest

from services.webhooks.guard import (
    Blocked,
    GuardedBackend,
    UnsafeUrl,
    check_url,
    embedded_ipv4,
    guarded_client,
    refusal,
)


def resolver(*addresses: str) -> object:
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "169.254.10.10",  # link-local
        "100.64.0.1",  # shared (CGNAT)
        "100.100.100.200",  # Alibaba metadata
        "0.0.0.0",
        "224.0.0.1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "::",
        "240.0.0.1",  # reserved
    ],
)
def test_internal_addresses_are_refused(address: str) -> None:
    assert refusal(address, allow_private=False) is not None
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeUrl):
        check_url(f"https://{host}/hook", allow_private=False)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_accepted(address: str) -> None:
    assert refusal(address, allow_private=False) is None
    host = f"[{address}]" if ":" in address else address
    assert check_url(f"https://{host}/hook", allow_private=False) == [address]


# Every IPv6 form that carries an IPv4 address, with the form and the IPv4 address inside.
CARRIERS = [
    ("::ffff:127.0.0.1", "IPv4-mapped", "127.0.0.1"),
    ("::ffff:7f00:1", "IPv4-mapped", "127.0.0.1"),
    ("::ffff:8.8.8.8", "IPv4-mapped", "8.8.8.8"),  # refused even when the IPv4 one is public
    ("::ffff:0:7f00:1", "IPv4-translated", "127.0.0.1"),
    ("::127.0.0.1", "IPv4-compatible", "127.0.0.1"),
    ("::a00:1", "IPv4-compatible", "10.0.0.1"),
    ("::8.8.8.8", "IPv4-compatible", "8.8.8.8"),
    ("64:ff9b::7f00:1", "NAT64", "127.0.0.1"),
    ("64:ff9b::808:808", "NAT64", "8.8.8.8"),
    ("64:ff9b:1::a00:1", "NAT64 (local use)", None),
    ("64:ff9b:1:ffff::1", "NAT64 (local use)", None),
    ("2002:7f00:1::", "6to4", "127.0.0.1"),
    ("2002:a00:1::1", "6to4", "10.0.0.1"),
    ("2002:808:808::1", "6to4", "8.8.8.8"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo", "192.0.2.45"),  # RFC 4380's example
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo", "127.0.0.1"),  # client bits inverted
    ("2606:4700:1::5efe:a00:1", "ISATAP", "10.0.0.1"),  # a global prefix, an internal host
    ("2606:4700:1::200:5efe:7f00:1", "ISATAP", "127.0.0.1"),
    ("fe80::5efe:a9fe:a9fe", "ISATAP", "169.254.169.254"),
]


@pytest.mark.parametrize(("address", "form", "inner"), CARRIERS, ids=[c[0] for c in CARRIERS])
@pytest.mark.parametrize("allow_private", [False, True], ids=["strict", "allow_private"])
def test_ipv6_forms_that_carry_an_ipv4_address_are_always_refused(
    address: str, form: str, inner: str | None, allow_private: bool
) -> None:
    """The address checked would not be the address reached: a relay or the dual stack
    delivers to the IPv4 one inside, so these are refused whatever they carry."""
    found = embedded_ipv4(ipaddress.IPv6Address(address))
    assert found is not None
    assert found[0] == form
    assert (str(found[1]) if found[1] is not None else None) == inner
    reason = refusal(address, allow_private=allow_private)
    assert reason is not None
    assert form in reason or "metadata" in reason
    with pytest.raises(UnsafeUrl):
        check_url(f"https://[{address}]/hook", allow_private=allow_private)


@pytest.mark.parametrize(
    "address",
    [
        "::",  # unspecified
        "0.0.0.0",  # reaches the local host on Linux
        "0.1.2.3",  # "this network"
        "ff02::1",  # multicast, link scope
        "ff0e::1",  # multicast, global scope: is_global says yes
        "224.0.0.1",  # multicast: is_global says yes
        "239.255.255.250",
        "255.255.255.255",  # broadcast
        "240.0.0.1",  # reserved
        "192.0.0.8",  # IETF protocol assignments
        "192.0.2.1",  # documentation
        "198.51.100.7",
        "203.0.113.9",
        "192.88.99.1",  # 6to4 relay anycast: is_global says yes
        "198.18.0.1",  # benchmarking
        "100::1",  # discard-only
        "2001:2::1",  # IETF protocol assignments
        "2001:db8::1",  # documentation
        "3fff::1",  # documentation (RFC 9637)
        "5f00::1",  # SRv6 segment ids: is_global says yes
        "4000::1",  # outside 2000::/3, unassigned
        "::2",
    ],
)
@pytest.mark.parametrize("allow_private", [False, True], ids=["strict", "allow_private"])
def test_addresses_where_no_receiver_can_be_are_always_refused(
    address: str, allow_private: bool
) -> None:
    assert refusal(address, allow_private=allow_private) is not None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456:789a::1", "private"),
        ("fec0::1", "private"),  # site-local, deprecated: is_global says yes
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("100.64.0.1", "shared"),
        ("100.127.255.254", "shared"),
    ],
)
def test_internal_addresses_need_allow_private(address: str, kind: str) -> None:
    reason = refusal(address, allow_private=False)
    assert reason is not None
    assert kind in reason
    assert refusal(address, allow_private=True) is None


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "fd20:ce::254",
        "168.63.129.16",  # Azure's wire server, a public address
        "100.100.100.200",
        "192.0.0.192",
        "::ffff:169.254.169.254",
        "::ffff:a9fe:a9fe",
        "::169.254.169.254",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::169.254.169.254",
        "2002:a9fe:a9fe::1",
        "2606:4700:1::5efe:a9fe:a9fe",
    ],
)
@pytest.mark.parametrize("allow_private", [False, True], ids=["strict", "allow_private"])
def test_cloud_metadata_is_refused_in_every_form(address: str, allow_private: bool) -> None:
    reason = refusal(address, allow_private=allow_private)
    assert reason is not None
    assert "metadata" in reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2a00:1450:4001:81c::200e",
        "2606:4700::6810:84e5",  # low bits that read as an IPv4 address, in no transition form
    ],
)
@pytest.mark.parametrize("allow_private", [False, True], ids=["strict", "allow_private"])
def test_global_unicast_addresses_are_accepted(address: str, allow_private: bool) -> None:
    assert refusal(address, allow_private=allow_private) is None


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    assert check_url(
        "https://hooks.example.com/x", allow_private=False, resolver=resolver("93.184.215.14")
    ) == ["93.184.215.14"]
    with pytest.raises(UnsafeUrl, match="private"):
        check_url(
            "https://hooks.example.com/x",
            allow_private=False,
            resolver=resolver("93.184.215.14", "10.0.0.7"),
        )
    with pytest.raises(UnsafeUrl, match="does not resolve"):
        check_url("https://hooks.example.com/x", allow_private=False, resolver=resolver())


def test_localhost_is_loopback() -> None:
    with pytest.raises(UnsafeUrl, match="loopback"):
        check_url("http://localhost:8080/hook", allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.215.14/x",
        "file:///etc/passwd",
        "gopher://93.184.215.14/",
        "93.184.215.14/hook",
        "http:///nohost",
        "https://user:secret@93.184.215.14/x",
        "http://93.184.215.14:99999/x",
    ],
)
def test_only_plain_http_urls(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        check_url(url, allow_private=False, resolver=resolver("93.184.215.14"))


def test_allow_private_lets_internal_addresses_through_but_never_metadata() -> None:
    assert check_url("http://127.0.0.1:8080/x", allow_private=True) == ["127.0.0.1"]
    assert check_url("http://10.1.2.3/x", allow_private=True) == ["10.1.2.3"]
    for metadata in ("169.254.169.254", "100.100.100.200", "[fd00:ec2::254]"):
        with pytest.raises(UnsafeUrl, match="metadata"):
            check_url(f"http://{metadata}/", allow_private=True)


def test_the_delivery_client_checks_again_when_it_connects() -> None:
    """What was accepted at creation is checked again on every connection: a name that now
    resolves to loopback (DNS rebinding) is refused before a byte is sent."""

    async def post() -> httpx.Response:
        async with guarded_client(allow_private=False, timeout=2) as client:
            return await client.post("http://localhost:9/hook", content=b"{}")

    with pytest.raises(httpx.ConnectError, match=r"blocked: .*loopback"):
        asyncio.run(post())


def test_the_delivery_client_follows_no_redirects_and_ignores_proxy_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")

    async def check() -> None:
        async with guarded_client(allow_private=False, timeout=2) as client:
            assert client.follow_redirects is False
            assert client.trust_env is False
            response = httpx.Response(
                200,
                headers={"set-cookie": "session=abc; Path=/"},
                request=httpx.Request("POST", "https://93.184.215.14/hook"),
            )
            client.cookies.extract_cookies(response)
            assert not client.cookies

    asyncio.run(check())


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Stands in for the network: records where it was asked to connect, sends nothing."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append((host, port))
        return httpcore.AsyncNetworkStream()


def test_every_connection_is_checked_against_the_address_it_opens() -> None:
    """DNS rebinding: the name resolved to a public address when the subscription was saved and
    for the first connection; the next answer is internal, and that connection never opens."""
    answers = iter(
        [["93.184.215.14"], ["::ffff:127.0.0.1"], ["64:ff9b::a9fe:a9fe"], ["93.184.215.14"]]
    )

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    inner = RecordingBackend()
    backend = GuardedBackend(allow_private=False, inner=inner, resolver=rebinding)

    async def connect() -> None:
        await backend.connect_tcp("hooks.example.com", 443)

    asyncio.run(connect())
    with pytest.raises(Blocked, match="IPv4-mapped"):
        asyncio.run(connect())
    with pytest.raises(Blocked, match="metadata"):
        asyncio.run(connect())
    asyncio.run(connect())
    # It connects to the address it checked, never to the name (which could resolve again).
    assert inner.connected == [("93.184.215.14", 443), ("93.184.215.14", 443)]


def test_one_bad_address_among_the_answers_refuses_the_connection() -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "2002:a00:1::1"]

    inner = RecordingBackend()
    backend = GuardedBackend(allow_private=False, inner=inner, resolver=mixed)
    with pytest.raises(Blocked, match="6to4"):
        asyncio.run(backend.connect_tcp("hooks.example.com", 443))
    assert inner.connected == []


def test_the_delivery_client_refuses_an_ipv4_mapped_literal() -> None:
    async def post() -> httpx.Response:
        async with guarded_client(allow_private=True, timeout=2) as client:
            return await client.post("http://[::ffff:127.0.0.1]:9/hook", content=b"{}")

    with pytest.raises(httpx.ConnectError, match=r"blocked: .*IPv4-mapped"):
        asyncio.run(post())
