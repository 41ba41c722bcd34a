"""Days far in the future or the past (year 9999, year 1) are refused in French everywhere, never a 500 or a
traceback; the CSV of `expiring` guards formulas like the web exports."""

import pytest

from tests.conventions.builders import make_convention


@pytest.mark.parametrize("at", ["9999-12-31", "9998-01-01", "0001-01-01", "2200-01-01"])
def test_the_compliance_api_refuses_a_day_out_of_range(client, make_user, token_headers, at):
    response = client.get(f"/api/v1/compliance?at={at}", headers=token_headers(make_user("admin")))
    assert response.status_code == 422
    assert "1900 et 2199" in str(response.get_json()["error"]["details"])


@pytest.mark.parametrize("url", ["/conformite?at=9999-12-31", "/conformite/export?at=9999-12-31",
                                 "/conformite?at=0001-01-01"])
def test_the_compliance_pages_set_a_far_day_aside(client, make_user, login, url):
    login(make_user("admin"))
    response = client.get(url)
    assert response.status_code == 200
    if "export" not in url:
        assert "1900 et 2199" in response.get_data(as_text=True)


@pytest.mark.parametrize("command", [["compliance", "--at", "9999-12-31"], ["expiring", "--at", "9999-12-31"],
                                     ["compliance", "--at", "0001-01-01"]])
def test_the_commands_answer_one_french_line(runner, command):
    result = runner.invoke(args=command)
    assert result.exit_code != 0
    assert "1900 et 2199" in result.output and "Traceback" not in result.output


def test_expiring_csv_guards_formulas(runner, make_organisation, make_hospital, make_partnership):
    from datetime import date

    from registry.extensions import db

    hospital = make_hospital()
    partner = make_organisation(name='=HYPERLINK("http://exemple.invalid";"clic")', category_code="500")
    make_convention(hospital, make_partnership(hospital, partner), signed_on=date(2022, 1, 1),
                    effective_date=date(2022, 1, 1), duration_months=60)
    db.session.commit()
    output = runner.invoke(args=["expiring", "--all", "--days", "3650", "--format", "csv"]).output
    assert "'=HYPERLINK" in output and ",=HYPERLINK" not in output
