"""How a CPOM operation refuses bad input: one French message listing every problem, nothing written."""

from registry.core.errors import DomainError


def refuse(what: str, problems: list[str]) -> None:
    if problems:
        raise DomainError(f"{what} : " + " ; ".join(problems) + ".", details=problems)
