"""Refusals the core raises; handlers turn each into a clear, translated answer."""


class DomainError(Exception):
    """A rule said no. `code` names the rule so the UI can explain it."""

    code = "refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class NotFound(DomainError):
    code = "not_found"


class NoLongerAvailable(DomainError):
    """The thing a button pointed at moved on: withdrawn, expired, taken, answered."""

    code = "no_longer_available"


class NotAllowed(DomainError):
    """The presser is not the person (or role) this action belongs to."""

    code = "not_allowed"


class InvalidInput(DomainError):
    code = "invalid_input"


class UnknownPlaces(InvalidInput):
    """Places that are not on the team's list of areas, named so the person can fix them."""

    code = "unknown_places"

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class AlreadyDone(NoLongerAvailable):
    """The same person pressed twice: tell them it already happened, not that it vanished."""

    code = "already_done"


class NoLongerYours(NoLongerAvailable):
    """The presser held this contact once, and no longer does (reassigned, handed back,
    closed): they must stop, not wonder whose button it is."""

    code = "no_longer_yours"


class AlreadyAsked(AlreadyDone):
    """An update was asked for a moment ago: the answer is still awaited."""

    code = "already_asked"


class OfferExpired(NoLongerAvailable):
    """Found past its time on a press (and expired then and there)."""

    code = "no_longer_available"

    def __init__(self) -> None:
        super().__init__("expired")
