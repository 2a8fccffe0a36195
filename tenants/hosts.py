"""Host names as the platform compares them."""

import re

_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
_HOSTNAME = re.compile(rf"(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*")
_IPV6 = re.compile(r"\[[0-9a-f:.]+\]")


def is_valid_host(host: str) -> bool:
    """True for a normalised DNS name or IP literal; False for anything a browser would never send."""
    return bool(_HOSTNAME.fullmatch(host) or _IPV6.fullmatch(host))


def normalise_host(raw: str) -> str:
    """'Vinh-Phuc.LOCALHOST.:5000' -> 'vinh-phuc.localhost' (case, port and trailing dot ignored)."""
    host = raw.strip().lower()
    if host.startswith("["):  # IPv6 literal, maybe with a port
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")
