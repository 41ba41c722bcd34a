from datetime import date

import pytest

from registry.documents.versions import sync_shipped_templates
from registry.extensions import db


@pytest.fixture
def shipped_templates(app):
    versions = sync_shipped_templates()
    db.session.commit()
    return {version.code: version for version in versions}


@pytest.fixture
def hospital_with_partners(make_hospital, make_organisation, make_partnership):
    hospital = make_hospital(make_organisation(name="CH D'IS-SUR-TILLE", category_code="106",
                                               address="1 R DU GENERAL LECLERC", postal_code="21120",
                                               city="IS SUR TILLE"))
    chu = make_partnership(hospital, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                           partner_types=["second_recours"])
    ehpad = make_partnership(hospital, make_organisation(name="EHPAD LE CHAMP DE MARS", category_code="500"),
                             partner_types=["ehpad"])
    db.session.commit()
    return hospital, chu, ehpad


EFFECTIVE = date(2027, 1, 1)
