"""Where media bytes live: INSTANCE_DIR/media/<tenant id>/<storage key>[-<width>].<ext>, written atomically."""

import os
import secrets
from pathlib import Path

from flask import current_app


def root() -> Path:
    return Path(current_app.config.get("MEDIA_DIR") or Path(current_app.config["INSTANCE_DIR"]) / "media")


def path_for(tenant_id: int, key: str, extension: str, width: int | None = None) -> Path:
    suffix = f"-{width}" if width else ""
    return root() / str(int(tenant_id)) / f"{key}{suffix}.{extension}"


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")  # two writers never share a partial file
    tmp.write_bytes(data)
    os.replace(tmp, path)


def remove(paths) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
