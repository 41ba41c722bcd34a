"""The conventions blueprint's URL map is the one in registry/conventions/urls.py, and route modules never import
one another (what two pages share lives in non-route modules)."""

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
                imported.add(node.module.rsplit(".", 1)[-1])
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name.rsplit(".", 1)[-1] for alias in node.names)
        assert not (imported & names), f"{path.name} imports {imported & names}"
