"""ImportReport: what an import did, line by line, in the words the command prints."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LineIssue:
    line: int
    message: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.message}"


@dataclass
class ImportReport:
    """Counts per outcome plus the line-level rejects and warnings; also the object of the audit entry."""

    path: str
    kind: str = ""
    encoding: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Establishments outside the requested départements (not counted as rejected).
    skipped: int = 0
    #: Coordinates given in a projection other than Lambert 93 (overseas), left aside.
    coordinates_ignored: int = 0
    rejects: list[LineIssue] = field(default_factory=list)
    warnings: list[LineIssue] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def reject(self, line: int, message: str) -> None:
        self.rejects.append(LineIssue(line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LineIssue(line, message))

    def counts_line(self) -> str:
        """The first line of the output, in the stable form scripts read (docs/interface.md)."""
        return (f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {self.rejected}")

    def output_lines(self) -> list[str]:
        """Standard output, as scripts read it: the counts, then one line per rejected row."""
        return [self.counts_line(), *(str(issue) for issue in sorted(self.rejects, key=lambda issue: issue.line))]

    def note_lines(self) -> list[str]:
        """For the person at the terminal (standard error): what was skipped, ignored or dropped."""
        lines = []
        if self.skipped:
            lines.append(f"{self.skipped} établissement(s) hors des départements demandés, ignoré(s)")
        if self.coordinates_ignored:
            lines.append(f"{self.coordinates_ignored} coordonnée(s) dans une projection autre que Lambert 93, "
                         "ignorée(s)")
        lines += [f"avertissement, {issue}" for issue in sorted(self.warnings, key=lambda issue: issue.line)]
        return lines

    def audit_summary(self) -> str:
        """The French sentence of the audit trail (at most 500 characters)."""
        name = Path(self.path).name
        if len(name) > 120:
            name = name[:117] + "…"
        return (f"Import FINESS « {name} » : {self.created} créé(s), {self.updated} mis à jour, "
                f"{self.unchanged} inchangé(s), {self.rejected} rejeté(s)")
