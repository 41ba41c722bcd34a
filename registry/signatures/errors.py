"""The one error of the package: an uploaded file that cannot be kept as a signed copy."""

from registry.core.errors import DomainError


class SignedCopyRejected(DomainError):
    """The file is not a PDF the registry can archive; ``message`` says why, in French, for the user."""

    code = "signed_copy_rejected"
