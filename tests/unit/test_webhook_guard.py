"""The SSRF guard with TECHPLAN_WEBHOOK_ALLOW_PRIVATE off: where webhooks may not point."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from services.webhooks.guard import UnsafeUrl, check_url, guarded_client, refusal


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
