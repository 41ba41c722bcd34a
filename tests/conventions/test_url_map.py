"""The conventions blueprint's URL map is the one in registry/conventions/urls.py, route modules never import
one another (what two pages share lives in non-route modules), and the convention pages' data is loaded by their
routes, not by query helpers called while a template renders."""

import ast
from pathlib import Path

from registry.conventions import urls

PACKAGE = Path(urls.__file__).parent


def route_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.glob("*.py") if path.stem == "routes" or path.stem.endswith("_routes"))


def test_the_url_map_of_urls_py_is_the_applications(app):
    listed = {(rule, f"conventions.{view.__name__}", frozenset(methods)) for rule, view, methods in urls.URLS}
    served = {(rule.rule.replace("int(max=2147483647)", urls.ID), rule.endpoint,
               frozenset(rule.methods - {"HEAD", "OPTIONS"}))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("conventions.")}
    assert served == listed
    assert len(urls.URLS) == len(listed)  # no address listed twice


def test_route_modules_declare_no_url_and_import_no_other_route_module():
    names = {path.stem for path in route_modules()}
    assert {"routes", "register_routes", "lifecycle_routes"} <= names
    for path in route_modules():
        source = path.read_text()
        assert "@bp." not in source and "Blueprint(" not in source, path.name
        imported = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        siblings = {f"registry.conventions.{name}" for name in names}
        assert not (imported & siblings), f"{path.name} imports {imported & siblings}"


#: Template globals that query the database; the convention pages get their results from their routes instead.
QUERYING_GLOBALS = ("convention_lifecycle", "partner_upload", "bundle_offer")


def test_convention_templates_call_no_querying_helper(app):
    folder = Path(app.root_path) / "templates" / "conventions"
    for template in folder.glob("*.html"):
        called = [name for name in QUERYING_GLOBALS if f"{name}(" in template.read_text()]
        assert not called, f"{template.name} calls {called}"
    assert not {"convention_lifecycle", "partner_upload"} & set(app.jinja_env.globals)
