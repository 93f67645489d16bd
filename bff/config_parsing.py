"""Parsers for the BFF's settings written as text: Sentinel hosts, API routes, extra parameters."""

from urllib.parse import parse_qsl


class ConfigError(RuntimeError):
    """A required setting is missing or unusable."""


def parse_hosts(text: str) -> tuple[tuple[str, int], ...]:
    """Parse "10.0.0.1:26379,10.0.0.2:26379" into (host, port) pairs."""
    hosts = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"REDIS_SENTINELS entry {item!r} must look like host:port")
        hosts.append((host, int(port)))
    return tuple(hosts)


def parse_routes(text: str) -> tuple[tuple[str, str], ...]:
    """Parse "GET /events, DELETE /events/" into (method, path prefix) pairs."""
    routes = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        method, _, prefix = item.partition(" ")
        if not prefix.startswith("/"):
            raise ConfigError(f"BFF_API_ROUTES entry {item!r} must look like 'GET /events'")
        routes.append((method.upper(), prefix.strip()))
    return tuple(routes)


# Parameters the BFF sets itself: configuring them would break the flow or its protections.
OWN_AUTH_PARAMS = {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce"}
OWN_AUTH_PARAMS |= {"code_challenge", "code_challenge_method"}


def parse_auth_params(text: str) -> tuple[tuple[str, str], ...]:
    """Parse "audience=https://api.example&prompt=login" into (name, value) pairs."""
    try:
        pairs = parse_qsl(text.strip(), strict_parsing=True) if text.strip() else []
    except ValueError as exc:
        raise ConfigError(f"OIDC_AUTH_PARAMS must look like name=value&name=value: {exc}") from exc
    taken = sorted({name for name, _ in pairs} & OWN_AUTH_PARAMS)
    if taken:
        raise ConfigError(f"OIDC_AUTH_PARAMS cannot set {', '.join(taken)}: the BFF sets it")
    return tuple(pairs)
