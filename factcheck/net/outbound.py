"""Outbound HTTP (job callbacks; check events later) that cannot be aimed at the internal network.

Every request goes through ``OutboundClient.post``:
- the URL must be http(s); its host is resolved once, and every address it resolves to must be a
  public one: loopback, private (RFC 1918, RFC 4193), link-local, shared (CGNAT, RFC 6598),
  multicast, reserved and unspecified addresses are refused, in IPv4 and in every IPv6 form that
  carries an IPv4 address (mapped, 6to4, Teredo, NAT64);
- the connection goes to the address that was checked (no second lookup, so DNS rebinding cannot
  switch it), with the URL's host name in the Host header and for TLS (SNI and certificate checks);
- redirects are not followed (a 3xx is a failed delivery), the request times out, and at most
  ``MAX_REPLY_BYTES`` of the reply are read.

``FACTCHECK_OUTBOUND_ALLOW`` (host names and CIDRs, comma-separated) admits specific internal
receivers. ``url_problem`` is the check made when a URL is accepted (a literal refused address or
``localhost``: the request is refused at once); names are resolved only when sending.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_REPLY_BYTES = 4096
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # CGNAT
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(Exception):
    """The URL's host is, or resolves to, an address outbound requests may not reach."""


@dataclass(frozen=True)
class Delivery:
    status: int  # the HTTP status, 0 when no response came
    reason: str  # "" on a 2xx, else why it failed

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not be reached, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return refusal(inner)
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "a shared (CGNAT) address"
    if not address.is_global:
        return "a loopback, private, link-local, reserved or unspecified address"
    return None


class OutboundClient:
    """POSTs to public addresses only (see the module docstring).

    Args:
        allow: host names and CIDRs that may be reached even though they are internal.
        timeout: seconds for connecting and for each read.
    """

    def __init__(self, allow: str = "", timeout: float = 10.0):
        entries = [e.strip().lower() for e in allow.split(",") if e.strip()]
        self.allowed_hosts = {e for e in entries if not _is_network(e)}
        self.allowed_networks = [ipaddress.ip_network(e, strict=False) for e in entries if _is_network(e)]
        self.timeout = timeout

    def url_problem(self, url: str) -> str | None:
        """Why ``url`` can never be called back (checked when it is accepted), or None. Host names other
        than ``localhost`` are judged when they are resolved, at send time."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            parts.port  # noqa: B018 (raises on a port out of range)
        except ValueError:  # "https://[7F]": not an IPv6 literal
            return "must be an http(s) URL"
        if parts.scheme not in ("http", "https") or not host:
            return "must be an http(s) URL"
        if host in self.allowed_hosts:
            return None
        if host == "localhost" or host.endswith(".localhost"):
            return f"{host} is this machine: outbound requests may not reach it"
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return None
        reason = self._refused(address)
        return f"{host} is {reason}: outbound requests may not reach it" if reason else None

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Delivery:
        """POST ``body`` to ``url``; raises OutboundRefused when the host is or resolves to a refused address."""
        problem = self.url_problem(url)
        if problem:
            raise OutboundRefused(problem)
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._resolve(host, port)
        connection = _connection(parts.scheme, host, port, address, self.timeout)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("POST", path, body=body, headers={**headers, "Content-Length": str(len(body))})
            response = connection.getresponse()
            response.read(MAX_REPLY_BYTES)
            reason = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
            return Delivery(response.status, reason)
        except (OSError, http.client.HTTPException) as exc:
            return Delivery(0, str(exc) or type(exc).__name__)
        finally:
            connection.close()

    def _refused(self, address: IPAddress) -> str | None:
        if any(address in network for network in self.allowed_networks):
            return None
        return refusal(address)

    def _resolve(self, host: str, port: int) -> str:
        """The address to connect to: every address the host resolves to must be allowed (so a name with
        one public and one internal address is refused); the first is used."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise OutboundRefused(f"cannot resolve {host}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if host.lower() not in self.allowed_hosts:
            for address in addresses:
                reason = self._refused(address)
                if reason:
                    raise OutboundRefused(f"{host} resolves to {address}, {reason}")
        return str(addresses[0])


def _is_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a fixed address, keeping the URL's host for the Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed address, verifying the certificate for the URL's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(scheme: str, host: str, port: int, address: str, timeout: float) -> http.client.HTTPConnection:
    pinned = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return pinned(host, port, address, timeout)
