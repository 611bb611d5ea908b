from __future__ import annotations


class ServiceError(Exception):
    """A refusal the user should read.  `status` maps it to an HTTP status."""

    status = 400

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    """Someone else moved the document first (optimistic lock)."""

    status = 409

    def __init__(self, message: str = "此文件已被他人处理，页面已显示最新状态。"):
        super().__init__(message)


class Invalid(ServiceError):
    status = 422
