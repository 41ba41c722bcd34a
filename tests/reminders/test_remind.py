"""The `remind` command against a real SMTP server: what goes to whom on several days, once."""

from datetime import date

import pytest
from sqlalchemy import func, select

from registry.core import clock
from registry.extensions import db
from registry.reminders.models import SentReminder
from tests.reminders.conftest import BASE_URL


def _remind(runner, *args):
    return runner.invoke(args=["remind", *args])


def _sent_count() -> int:
    return db.session.scalar(select(func.count(SentReminder.id)))


def _by_recipient(smtp) -> dict[str, str]:
    bodies = {}
    for message in smtp.messages:
        assert message["To"] not in bodies, "one digest per recipient and run"
        bodies[message["To"]] = message.get_content()
    return bodies


def test_first_run_sends_one_digest_per_recipient_with_what_is_due(runner, smtp, region):
    result = _remind(runner)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "6 courriels envoyés (10 rappels) au 2 décembre 2026."
    bodies = _by_recipient(smtp)
    assert set(bodies) == {"juriste@is.fr", "direction@ght21.fr", "juriste@auxonne.fr", "juriste@paris.fr",
                           "ars@bfc.fr", "ars@idf.fr"}  # no admin, no inactive user
    assert _sent_count() == 10

    fixed = region.conventions["is_fixed"]
    juriste = bodies["juriste@is.fr"]
    assert f"{fixed.reference} « Filière gériatrique » (CH D'IS-SUR-TILLE ; partenaires : CHU DIJON BOURGOGNE et " \
           "EHPAD LE CHAMP DE MARS)" in juriste
    assert "date limite de préavis le 31 décembre 2026 (dans 29 jours), avant sa fin le 31 mars 2027." in juriste
    assert "prend fin le 31 mars 2027 (dans 119 jours)." in juriste
    assert f"{BASE_URL}/conventions/{fixed.id}" in juriste
    assert f"{BASE_URL}/conventions/echeances" in juriste
    assert region.conventions["is_tacit"].reference not in juriste  # its next notice is in 2028
    assert region.conventions["auxonne_ending"].reference not in juriste  # not their hospital
    message = smtp.to("juriste@is.fr")[0]
    assert message["Subject"] == "Registre des hôpitaux de proximité : 2 échéances de conventions"
    assert message["From"] == "Registre HdP <registre-hdp@example.fr>"

    both = bodies["direction@ght21.fr"]  # two hospitals, one mail
    assert "vos hôpitaux" in both and fixed.reference in both
    assert region.conventions["auxonne_ending"].reference in both
    assert "prend fin le 31 janvier 2027 (dans 60 jours)." in both

    bfc = bodies["ars@bfc.fr"]
    assert "CH D'IS-SUR-TILLE" in bfc and "expiré le 1er mai 2023" in bfc
    assert "CH D'AUXONNE" in bfc and "à conclure au plus tard le 1er mars 2027 (dans 89 jours)" in bfc
    assert f"{BASE_URL}/hopitaux/{region.auxonne.finess_et}/conformite" in bfc
    assert "HOPITAL DE PARIS" not in bfc
    idf = bodies["ars@idf.fr"]
    assert "HOPITAL DE PARIS" in idf and "CH D'" not in idf
    assert smtp.to("ars@bfc.fr")[0]["Subject"] == ("Registre des hôpitaux de proximité : 2 conventions obligatoires "
                                                   "manquantes ou en retard")


def test_a_second_run_the_same_day_sends_nothing(runner, smtp, region):
    assert _remind(runner).exit_code == 0
    received = len(smtp.messages)
    result = _remind(runner)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 courriel envoyé (0 rappel) au 2 décembre 2026."
    assert len(smtp.messages) == received and _sent_count() == 10


def test_each_delay_is_reminded_once_as_the_days_go_by(runner, smtp, region):
    fixed, auxonne = region.conventions["is_fixed"], region.conventions["auxonne_ending"]
    assert _remind(runner).exit_code == 0
    smtp.messages.clear()

    with clock.travel(date(2027, 1, 5)):  # notice past; the end at 85 days (90), Auxonne's at 26 (30)
        assert _remind(runner).output.strip() == "4 courriels envoyés (5 rappels) au 5 janvier 2027."
    bodies = _by_recipient(smtp)
    assert set(bodies) == {"juriste@is.fr", "direction@ght21.fr", "juriste@auxonne.fr", "juriste@paris.fr"}
    assert "préavis" not in bodies["juriste@is.fr"]
    assert f"{fixed.reference} « Filière gériatrique »" in bodies["juriste@is.fr"]
    assert "prend fin le 31 mars 2027 (dans 85 jours)." in bodies["juriste@is.fr"]
    assert "prend fin le 31 janvier 2027 (dans 26 jours)." in bodies["juriste@auxonne.fr"]
    smtp.messages.clear()

    with clock.travel(date(2027, 1, 6)):
        assert _remind(runner).output.startswith("0 courriel envoyé")
    with clock.travel(date(2027, 2, 1)):  # Auxonne's statutory convention at 28 days; its convention has ended
        assert _remind(runner).output.strip() == "1 courriel envoyé (1 rappel) au 1er février 2027."
    assert "dans 28 jours" in smtp.to("ars@bfc.fr")[0].get_content()
    smtp.messages.clear()

    with clock.travel(date(2027, 3, 2)):  # the statutory delay has passed; the convention ends in 29 days
        assert _remind(runner).output.strip() == "3 courriels envoyés (3 rappels) au 2 mars 2027."
        assert _remind(runner).output.startswith("0 courriel envoyé")
    bodies = _by_recipient(smtp)
    assert "CH D'AUXONNE" in bodies["ars@bfc.fr"] and "expiré le 1er mars 2027" in bodies["ars@bfc.fr"]
    assert "prend fin le 31 mars 2027 (dans 29 jours)." in bodies["direction@ght21.fr"]
    assert auxonne.reference not in bodies["direction@ght21.fr"]

    with clock.travel(date(2027, 4, 1)):  # everything ended or already reminded
        assert _remind(runner).output.startswith("0 courriel envoyé")


def test_at_option_runs_on_another_day(runner, smtp, region):
    result = _remind(runner, "--at", "2027-01-05")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("au 5 janvier 2027.")
    assert "prend fin le 31 mars 2027 (dans 85 jours)." in smtp.to("juriste@is.fr")[0].get_content()
    assert _remind(runner, "--at", "nope").exit_code != 0


def test_tacit_renewal_is_reminded_before_its_notice_deadline(runner, smtp, region):
    tacit = region.conventions["is_tacit"]
    with clock.travel(date(2028, 9, 15)):
        assert _remind(runner).exit_code == 0
    body = smtp.to("juriste@is.fr")[0].get_content()
    assert f"{tacit.reference} « Consultations avancées » (CH D'IS-SUR-TILLE ; partenaires : CHU DIJON BOURGOGNE) : " \
           "à dénoncer au plus tard le 30 septembre 2028 (dans 15 jours) pour qu'elle prenne fin le 31 décembre " \
           "2028 ; sans dénonciation, elle est reconduite tacitement." in body
    assert "Préavis à donner" in body and "Conventions qui prennent fin" not in body


def test_dry_run_lists_without_sending_or_recording(runner, smtp, region):
    result = _remind(runner, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "À juriste@is.fr (2 rappels) :" in result.output
    assert f"  - {region.conventions['is_fixed'].reference} « Filière gériatrique »" in result.output
    assert result.output.strip().endswith("Simulation au 2 décembre 2026 : 6 courriels (10 rappels) à envoyer ; "
                                          "rien n'a été envoyé ni enregistré.")
    assert smtp.messages == [] and _sent_count() == 0
    assert _remind(runner).output.startswith("6 courriels envoyés")  # still all due afterwards


def test_smtp_down_is_one_french_line_and_records_nothing(runner, region, smtp_port):
    result = _remind(runner)  # the smtp fixture is not started: nothing listens on the port
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: Serveur SMTP 127.0.0.1:{smtp_port} injoignable ([Errno 111] Connection refused). Aucun rappel n'a "
        "été envoyé ni enregistré."]
    assert _sent_count() == 0


def test_a_refused_address_is_not_recorded_and_goes_next_time(runner, smtp, region):
    smtp.refused.add("juriste@auxonne.fr")
    result = _remind(runner)
    assert result.exit_code == 1
    assert "5 courriels envoyés (9 rappels)" in result.output
    assert "Adresse juriste@auxonne.fr refusée par le serveur SMTP" in result.output
    assert "1 courriel non envoyé" in result.output
    assert "juriste@auxonne.fr" not in {message["To"] for message in smtp.messages}
    assert db.session.scalar(select(func.count(SentReminder.id)).where(
        SentReminder.email == "juriste@auxonne.fr")) == 0

    smtp.refused.clear()
    smtp.messages.clear()
    result = _remind(runner)
    assert result.exit_code == 0 and result.output.startswith("1 courriel envoyé (1 rappel)")
    assert [message["To"] for message in smtp.messages] == ["juriste@auxonne.fr"]


def test_missing_settings_stop_before_sending(app, runner, smtp, region):
    app.config["BASE_URL"] = None
    result = _remind(runner)
    assert result.exit_code == 1 and "BASE_URL n'est pas configuré" in result.output
    app.config["BASE_URL"] = BASE_URL
    app.config["MAIL_DEFAULT_SENDER"] = ""
    result = _remind(runner)
    assert result.exit_code == 1 and "MAIL_DEFAULT_SENDER n'est pas configuré" in result.output
    assert smtp.messages == [] and _sent_count() == 0
    assert _remind(runner, "--dry-run").exit_code == 0  # listing needs neither


def test_bad_delays_setting_is_a_clear_error(app, runner, region):
    app.config["REMINDER_DELAYS_DAYS"] = "six mois"
    result = _remind(runner, "--dry-run")
    assert result.exit_code == 1 and "REMINDER_DELAYS_DAYS" in result.output


def test_nothing_due_sends_no_mail(runner, smtp):
    result = _remind(runner)
    assert result.exit_code == 0 and result.output.startswith("0 courriel envoyé")
    assert smtp.messages == []


def _authenticating_server(port: int):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from tests.reminders.conftest import Handler

    def authenticator(server, session, envelope, mechanism, auth_data):
        good = isinstance(auth_data, LoginPassword) and auth_data == (b"registre", b"s3cret")
        return AuthResult(success=good, handled=False)

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    return handler, controller


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_mail_username_and_password(app, runner, region, smtp_port):
    handler, controller = _authenticating_server(smtp_port)
    controller.start()
    try:
        app.config.update(MAIL_USERNAME="registre", MAIL_PASSWORD="mauvais")
        result = _remind(runner)
        assert result.exit_code == 1
        assert f"Serveur SMTP 127.0.0.1:{smtp_port} : identifiants refusés (535 " in result.output
        assert handler.messages == [] and _sent_count() == 0
        app.config["MAIL_PASSWORD"] = "s3cret"
        result = _remind(runner)
        assert result.exit_code == 0, result.output
        assert len(handler.messages) == 6 and _sent_count() == 10
    finally:
        controller.stop()
