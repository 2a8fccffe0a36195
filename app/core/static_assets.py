"""Fingerprinted static files: url_for('static', …) adds ?v=<content hash>; such URLs are cached for a year.

A changed file gets a new hash, hence a new URL, so a long `immutable` lifetime is safe; a URL without
the current hash (an old page, a hand-typed address) is served with the default revalidation instead.
"""

import hashlib
import os

from flask import current_app, request

ONE_YEAR = 365 * 24 * 3600
_digests: dict[str, tuple[float, str]] = {}


def fingerprint(filename: str) -> str | None:
    """A short hash of the static file's bytes (recomputed when the file changes), None if it is missing."""
    path = os.path.join(current_app.static_folder, filename)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    cached = _digests.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, "rb") as fh:
            cached = (mtime, hashlib.sha256(fh.read()).hexdigest()[:12])
        _digests[path] = cached
    return cached[1]


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = fingerprint(values["filename"])
        if digest:
            values["v"] = digest


def _long_lived(response):
    if request.endpoint == "static" and response.status_code in (200, 304):
        version = request.args.get("v")
        if version and version == fingerprint(request.view_args.get("filename", "")):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
    return response


def init_app(app) -> None:
    app.url_defaults(_add_fingerprint)
    app.after_request(_long_lived)
