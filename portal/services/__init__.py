"""The portal's use cases.  Each write is one transaction; views only parse, call and render."""


class PortalError(Exception):
    """A refusal with an HTTP status, a stable code and a Chinese message."""

    def __init__(self, status: int, code: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems or []
