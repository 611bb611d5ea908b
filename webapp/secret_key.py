"""The key that signs session cookies and CSRF tokens.

Either it comes from the environment (`SECRET_KEY`), or, outside production, it is
generated at the first start and kept in the instance folder (file mode 0600), so a
restart keeps everyone logged in and nobody can sign a cookie with a value read from
the repository.  Several workers starting at once end with the same key: each writes its
candidate to a private temporary file and publishes it with `os.link`, which fails when
the file already exists, so the first one wins and nobody can read a half-written key.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_FILE_NAME = "secret_key"
# Values that have appeared in this repository (or its documentation): never sign with them.
PUBLISHED_KEYS = frozenset({"dev-only-secret-change-me"})
MIN_LENGTH = 32

log = logging.getLogger(__name__)


class SecretKeyError(RuntimeError):
    """The instance key file cannot be used; the message says what to do."""


def load_or_create(instance_path: str | os.PathLike[str], name: str = KEY_FILE_NAME) -> str:
    """The instance folder's key (or another secret kept the same way, by file `name`), created
    (0600, atomically) when there is none yet."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        _publish_new_key(path)
    return _read(path)


def _publish_new_key(path: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{KEY_FILE_NAME}.", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # atomic, and refuses to replace a key another worker published first
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("secret key file %s was readable by others (mode %o); restricting it to 0600", path, mode)
        os.chmod(path, 0o600)
    key = path.read_text(encoding="ascii", errors="replace").strip()
    if len(key) < MIN_LENGTH or key in PUBLISHED_KEYS:
        raise SecretKeyError(
            f"密钥文件 {path} 的内容无效（为空、过短或是公开的示例值）。删除该文件后重新启动即可生成新密钥"
            "（所有用户需要重新登录）。"
        )
    return key
