"""access.policy_of on MethodView classes: a policy on a method wins over the class's; none at all is refused."""

from flask.views import MethodView

from registry.core.access import policy_of, public, roles, signed_in


class PerMethod(MethodView):
    @public
    def get(self):
        return "lecture"

    @roles("admin")
    def post(self):
        return "écriture"

    def put(self):  # declares nothing
        return "jamais"


@signed_in
class WholeClass(MethodView):
    def get(self):
        return "classe"

    @public
    def post(self):
        return "publique"


class Undeclared(MethodView):
    def get(self):
        return "jamais"


def _register(app):
    app.add_url_rule("/probe/per-method", view_func=PerMethod.as_view("probe_per_method"))
    app.add_url_rule("/probe/whole-class", view_func=WholeClass.as_view("probe_whole_class"))
    app.add_url_rule("/probe/undeclared", view_func=Undeclared.as_view("probe_undeclared"))


def test_method_policies(app, client, make_user, login):
    _register(app)
    assert client.get("/probe/per-method").status_code == 200
    assert client.head("/probe/per-method").status_code == 200  # HEAD follows GET's policy
    assert client.post("/probe/per-method").status_code == 302  # to the login page
    login(make_user("hospital", organisations=()))
    assert client.post("/probe/per-method").status_code == 403
    assert client.put("/probe/per-method").status_code == 403  # undeclared method of a declaring class


def test_method_policy_lets_the_right_role_in(app, client, make_user, login):
    _register(app)
    login(make_user("admin"))
    response = client.post("/probe/per-method")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "écriture"


def test_class_policy_covers_every_method_unless_one_declares(app, client):
    _register(app)
    assert client.get("/probe/whole-class").status_code == 302
    assert client.post("/probe/whole-class").status_code == 200


def test_undeclared_method_view_is_refused(app, client, make_user, login):
    _register(app)
    login(make_user("admin"))
    assert client.get("/probe/undeclared").status_code == 403


def test_policy_of_outside_a_request(app):
    _register(app)
    assert policy_of("probe_per_method", "POST") == ("roles", frozenset({"admin"}))
    assert policy_of("probe_whole_class", "GET") == ("signed_in", frozenset())
    assert policy_of("probe_whole_class")[0] == "signed_in"
    assert policy_of("probe_per_method")[0] is None  # without a method, only the class's declaration counts


def test_every_api_endpoint_declares_a_policy(app):
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api_")]
    assert len(api_rules) >= 5
    for rule in api_rules:
        for method in rule.methods - {"OPTIONS"}:
            assert policy_of(rule.endpoint, method)[0] in ("signed_in", "roles"), (rule.endpoint, method)
