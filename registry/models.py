"""Imports every area's models so that Alembic and the test fixtures see the whole schema."""

from registry.accounts.models import ApiToken, User, user_organisations  # noqa: F401
from registry.audit.models import AuditLog  # noqa: F401
from registry.conventions.models import (  # noqa: F401
    Convention, ConventionDocument, ConventionParty, ReferenceCounter)
from registry.core.storage_models import HeldUpload, HeldUploadPart, PdfPreview, StoredDocument  # noqa: F401
from registry.cpom.models import (  # noqa: F401
    Cpom, CpomAvenant, CpomCatalogue, CpomDeclaration, CpomEngagement, CpomEngagementConvention, CpomEvaluation,
    CpomProof, CpomSite, CpomTargetChange)
from registry.documents.models import TemplateVersion  # noqa: F401
from registry.hospitals.models import HospitalProfile, Partnership  # noqa: F401
from registry.organisations.models import Organisation  # noqa: F401
from registry.reminders.models import CalendarFeed, SentReminder  # noqa: F401
