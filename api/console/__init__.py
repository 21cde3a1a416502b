"""The admin console: server-rendered pages at ``/console`` over the same use cases as the API."""

from api.console.routes import router

__all__ = ["router"]
