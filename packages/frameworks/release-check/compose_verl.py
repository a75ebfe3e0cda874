"""Composes Hydra overrides against the config the installed verl wheel ships, as `verl.trainer.main_ppo` would.

stdin:  {"cases": [{"name": "...", "overrides": ["key=value", ...]}, ...]}
stdout: {"verl": {"version", "packageDir", "configDir", "configName"},
         "cases": [{"name", "ok": true, "values": {key: {"value", "type", "defaultType"}}, "missing": [...]}
                   | {"name", "ok": false, "error", "key"}]}

The config dir and name are read from main_ppo.py's `@hydra.main(...)` with `ast`, and verl is located
without importing it: its modules pull in torch, which this venv does not have. Composition is strict:
Hydra refuses `a.b=1` for a key the config does not have (only `+a.b=1` may add one). `values` holds,
for each overridden key, the composed value and its Python type next to the type of verl's default,
so a caller can check that `50` came out an int and a quoted path a string. `missing` lists the keys
still `???` (mandatory) after the overrides.
"""

import ast
import importlib.metadata
import importlib.util
import json
import os
import re
import sys

from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException


def verl_package_dir():
    spec = importlib.util.find_spec("verl")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("verl is not installed in this venv")
    return list(spec.submodule_search_locations)[0]


def hydra_main_config(entry_file):
    """(config_path, config_name) of the function decorated with @hydra.main in `entry_file`."""
    with open(entry_file, encoding="utf-8") as f:
        tree = ast.parse(f.read(), entry_file)
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and ast.unparse(dec.func) == "hydra.main":
                kw = {k.arg: ast.literal_eval(k.value) for k in dec.keywords if k.arg in ("config_path", "config_name")}
                return kw["config_path"], kw["config_name"]
    raise SystemExit(f"no @hydra.main in {entry_file}")


def type_name(value):
    return "NoneType" if value is None else type(value).__name__


def select(cfg, key):
    """The value at `key` as plain Python, resolved; None and a reason when it cannot be read."""
    try:
        node = OmegaConf.select(cfg, key, throw_on_missing=False)
        if OmegaConf.is_config(node):
            return OmegaConf.to_container(node, resolve=True), None
        return node, None
    except OmegaConfBaseException as err:
        return None, str(err)


def override_key(override):
    return override.split("=", 1)[0].lstrip("+~")


def failing_key(message, overrides):
    """The key Hydra refused: named in its message, or else the first override its grammar cannot parse."""
    m = re.search(r"(?:override|append to config\. An item is already at) '([^']+)'", message)
    if m:
        return m.group(1)
    parser = OverridesParser.create()
    for override in overrides:
        try:
            parser.parse_overrides([override])
        except HydraException:
            return override_key(override)
    return None


def main():
    request = json.load(sys.stdin)
    package_dir = verl_package_dir()
    config_path, config_name = hydra_main_config(os.path.join(package_dir, "trainer", "main_ppo.py"))
    config_dir = os.path.normpath(os.path.join(package_dir, "trainer", config_path))
    out = {
        "verl": {
            "version": importlib.metadata.version("verl"),
            "packageDir": package_dir,
            "configDir": config_dir,
            "configName": config_name,
        },
        "cases": [],
    }
    with initialize_config_dir(config_dir=config_dir, version_base=None):
        defaults = compose(config_name=config_name)
        for case in request["cases"]:
            try:
                cfg = compose(config_name=config_name, overrides=case["overrides"])
            except (HydraException, OmegaConfBaseException, ValueError) as err:
                message = str(err)
                out["cases"].append({"name": case["name"], "ok": False, "error": message, "key": failing_key(message, case["overrides"])})
                continue
            values = {}
            for override in case["overrides"]:
                key = override_key(override)
                value, problem = select(cfg, key)
                default, _ = select(defaults, key)
                values[key] = {"value": value, "type": type_name(value), "defaultType": type_name(default)}
                if problem is not None:
                    values[key]["problem"] = problem
            out["cases"].append(
                {"name": case["name"], "ok": True, "values": values, "missing": sorted(OmegaConf.missing_keys(cfg))}
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
