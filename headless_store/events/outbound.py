"""Outbound HTTP for webhooks, unable to reach inside the shop's network.

urllib3 with connections that resolve the name once, refuse unless *every* address is public (or in
WEBHOOK_ALLOWED_NETWORKS), and connect to a checked address, while the Host header, TLS SNI and
certificate check keep the name: a DNS answer that changes between check and connect (rebinding) is
never used. Redirects are not followed, and failures come back as categories, never as internals.
"""
import ipaddress
import socket
from dataclasses import dataclass
from functools import cache

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Not caught by `is_global` on every Python 3.11 patch level, or global yet never a webhook receiver.
BLOCKED_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    "64:ff9b::/96", "64:ff9b:1::/48", "2001::/23", "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
    "ff00::/8",
))


class BlockedAddress(Exception):
    """The URL's host is (or resolves to) an address webhooks may not reach."""

    category = "blocked address"


def allowed_networks() -> tuple:
    return _networks(tuple(settings.WEBHOOK_ALLOWED_NETWORKS))


@cache
def _networks(cidrs: tuple) -> tuple:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast, checking the IPv4 address inside mapped / 6to4 / Teredo forms too."""
    if address.version == 6:
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is not None and not is_public(inner):
            return False
    return (address.is_global and not address.is_multicast and not address.is_reserved
            and not any(address in network for network in BLOCKED_NETWORKS if network.version == address.version))


def check_address(address: IPAddress) -> None:
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in allowed_networks() if network.version == address.version):
        return
    if not is_public(address):
        raise BlockedAddress(str(address))


#: The resolver (the test suite puts a guard here that never lets a name reach a DNS server).
getaddrinfo = socket.getaddrinfo


def resolve_checked(host: str, port: int) -> list[str]:
    """The host's addresses, resolved once, each checked; raise BlockedAddress if any is refused."""
    answers = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        check_address(address)
        if str(address) not in addresses:
            addresses.append(str(address))
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    return addresses


class _CheckedConnection:
    """Connects to a checked address of the name; `host` (Host header, SNI) stays the name."""

    def _new_conn(self) -> socket.socket:
        name = self._dns_host
        try:
            addresses = resolve_checked(name, self.port)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        failure = None
        for address in addresses:
            self._dns_host = address
            try:
                return super()._new_conn()
            except NewConnectionError as error:
                failure = error
            finally:
                self._dns_host = name
        raise failure


class CheckedHTTPConnection(_CheckedConnection, HTTPConnection):
    pass


class CheckedHTTPSConnection(_CheckedConnection, HTTPSConnection):
    pass


class CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = CheckedHTTPConnection


class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = CheckedHTTPSConnection


@cache
def _pool_manager() -> urllib3.PoolManager:
    manager = urllib3.PoolManager(num_pools=50, maxsize=2, retries=False, cert_reqs="CERT_REQUIRED")
    manager.pool_classes_by_scheme = {"http": CheckedHTTPConnectionPool, "https": CheckedHTTPSConnectionPool}
    return manager


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    #: "" on success, else what staff see: "timeout", "connection refused", "HTTP 503"...
    error: str = ""
    #: Trying again cannot help (a blocked address, an unusable URL).
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> Outcome:
    """POST once, following no redirect; the outcome as a category."""
    from .services import check_url

    try:
        check_url(url, addresses=False)  # the address is checked when connecting
    except Exception:  # noqa: BLE001 - whatever is wrong with it, the URL cannot be used
        return Outcome(error="invalid URL", permanent=True)
    try:
        response = _pool_manager().request("POST", url, body=body, headers=headers, redirect=False, retries=False,
                                           timeout=urllib3.Timeout(connect=timeout, read=timeout),
                                           preload_content=False)
    except BlockedAddress:
        return Outcome(error=BlockedAddress.category, permanent=True)
    except NameResolutionError:  # (a NewConnectionError, itself a ConnectTimeoutError: mind the order)
        return Outcome(error="DNS failure")
    except NewConnectionError as error:
        refused = isinstance(error.__cause__, ConnectionRefusedError)
        return Outcome(error="connection refused" if refused else "connection failed")
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
        return Outcome(error="timeout")
    except SSLError:
        return Outcome(error="TLS error")
    except ProtocolError:
        return Outcome(error="connection closed")
    except (LocationParseError, ValueError, UnicodeError):
        return Outcome(error="invalid URL", permanent=True)
    except (urllib3.exceptions.HTTPError, OSError):
        return Outcome(error="connection failed")
    status = response.status
    response.close()  # the body is never read: an endless one cannot hold the worker
    if 300 <= status < 400:
        return Outcome(status, f"HTTP {status} (redirects are not followed)")
    return Outcome(status, "" if 200 <= status < 300 else f"HTTP {status}")
