"""The `@event` decorator for the ledger's aggregates: the library's, with a shorter way from a call
to the event it triggers.

Each call of a method decorated by the library's `@event` builds a bound decorator, works out the
call's keyword arguments from its signature (defaults included), filters them by the event class's
fields, and only then calls `trigger_event`: more time than building, applying and encoding the
event together. Ledger aggregates call their event methods with every parameter named, and for
such a call all that work hands `trigger_event` the arguments as given; so this decorator calls
`trigger_event` with them directly. Any other call (positional arguments, a default left out) goes
the library's way. The event classes, their topics and the stored events are the library's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.domain import (
    BoundCommandMethodDecorator,
    CommandMethodDecorator,
    decorated_func_callers,
)

F = TypeVar("F", bound=Callable[..., Any])


def event(name: str) -> Callable[[F], F]:
    """Decorate an aggregate method so that calling it triggers the event `name` (whose fields
    are the method's parameters), and applying that event runs the method's body."""

    def decorate(method: F) -> F:
        decorator: Any = _EventMethod(name, method)
        return decorator  # type: ignore[no-any-return]

    return decorate


class _EventMethod(CommandMethodDecorator):
    """The library's decorator of one event method, handing out a lighter bound method."""

    def __init__(self, name: str, method: Callable[..., Any]) -> None:
        super().__init__(name, method)
        self.parameters = frozenset(inspect.signature(method).parameters) - {"self"}

    def __get__(self, instance: Any, owner: Any) -> Any:
        # The library handles the class attribute, an `__init__` and its own special cases.
        if instance is None or self.decorated_func.__name__ in ("__init__", "_"):
            return super().__get__(instance, owner)
        return _BoundEventMethod(self, instance)


class _BoundEventMethod:
    """An event method of one aggregate, as called."""

    __slots__ = ("_aggregate", "_method")

    def __init__(self, method: _EventMethod, aggregate: Any) -> None:
        self._method = method
        self._aggregate = aggregate

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        if not args and kwargs.keys() == self._method.parameters:
            self._aggregate.trigger_event(decorated_func_callers[self._method], **kwargs)
        else:
            BoundCommandMethodDecorator(self._method, self._aggregate)(*args, **kwargs)
