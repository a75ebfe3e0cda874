"""Reads the argparse flags a Python file defines, with `ast`, without importing or running it.

    python argparse_flags.py --file PATH
    python argparse_flags.py --wheel WHEEL --member openrlhf/cli/train_ppo_ray.py

prints {"file", "flags": [...], "subcommands": {...}, "unresolved": [...]}. Each flag:
{"flag", "options" (all its option strings), "parser" (the variable it was added to, through argument
groups), "action", "type", "choices", "nargs", "required", "takesValue", "line"}. Flags built in a
`for NAME in ("a", "b"):` loop with f-strings of NAME are expanded once per value. A call whose option
strings cannot be evaluated this way is listed in `unresolved` rather than dropped, so a caller can
refuse to trust a partial list. `subcommands` maps `add_parser("merge", parents=[p])` names to their
parser variable and parents.
"""

import argparse
import ast
import json
import sys
import zipfile

# Actions that consume no value on the command line.
VALUELESS_ACTIONS = {"store_true", "store_false", "store_const", "append_const", "count", "help", "version"}


def literal(node, env):
    """A string constant or an f-string over bound loop variables; None when it is anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif (
                isinstance(value, ast.FormattedValue)
                and value.conversion == -1
                and value.format_spec is None
                and isinstance(value.value, ast.Name)
                and value.value.id in env
            ):
                parts.append(env[value.value.id])
            else:
                return None
        return "".join(parts)
    return None


def keyword_value(call, name, env):
    for kw in call.keywords:
        if kw.arg != name:
            continue
        if name in ("action", "dest", "nargs"):
            text = literal(kw.value, env)
            if text is not None:
                return text
        if name == "type":
            return ast.unparse(kw.value)
        try:
            return ast.literal_eval(kw.value)
        except ValueError:
            return ast.unparse(kw.value)
    return None


class Reader:
    def __init__(self):
        self.flags = []
        self.subcommands = {}
        self.groups = {}
        self.unresolved = []

    def parser_of(self, receiver):
        while receiver in self.groups:
            receiver = self.groups[receiver]
        return receiver

    def visit(self, node, env):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and isinstance(node.iter, (ast.Tuple, ast.List)):
            values = [literal(e, env) for e in node.iter.elts]
            if all(v is not None for v in values):
                for v in values:
                    for child in node.body:
                        self.visit(child, {**env, node.target.id: v})
                for child in node.orelse:
                    self.visit(child, env)
                return
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self.assignment(node.targets[0].id, node.value, env)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument":
            self.add_argument(node, env)
        for child in ast.iter_child_nodes(node):
            self.visit(child, env)

    def assignment(self, target, value, env):
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)):
            return
        receiver = ast.unparse(value.func.value)
        if value.func.attr in ("add_argument_group", "add_mutually_exclusive_group"):
            self.groups[target] = receiver
        elif value.func.attr == "add_parser" and value.args:
            name = literal(value.args[0], env)
            parents = keyword_value(value, "parents", env)
            if isinstance(parents, str):
                parents = [p.strip() for p in parents.strip("[]()").split(",") if p.strip()]
            if name is not None:
                self.subcommands[name] = {"parser": target, "parents": parents or []}

    def add_argument(self, call, env):
        options = [literal(a, env) for a in call.args]
        if not options or any(o is None for o in options):
            self.unresolved.append({"line": call.lineno, "source": ast.unparse(call)[:200]})
            return
        if not options[0].startswith("-"):
            return  # a positional argument: the renderers pass none
        action = keyword_value(call, "action", env)
        action_name = action if isinstance(action, str) else None
        if action_name is not None and "BooleanOptionalAction" in action_name:
            action_name = "BooleanOptionalAction"
        self.flags.append(
            {
                "flag": max(options, key=lambda o: (o.startswith("--"), len(o))),
                "options": options,
                "parser": self.parser_of(ast.unparse(call.func.value)),
                "action": action_name,
                "type": keyword_value(call, "type", env),
                "choices": keyword_value(call, "choices", env),
                "nargs": keyword_value(call, "nargs", env),
                "required": keyword_value(call, "required", env) is True,
                "takesValue": action_name not in VALUELESS_ACTIONS and action_name != "BooleanOptionalAction",
                "line": call.lineno,
            }
        )


def read_flags(source, filename):
    reader = Reader()
    reader.visit(ast.parse(source, filename), {})
    return {"file": filename, "flags": reader.flags, "subcommands": reader.subcommands, "unresolved": reader.unresolved}


def wheel_member(wheel, member):
    """The text of `member` in a wheel, also under `<name>.data/purelib/` where some wheels put packages."""
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n == member or n.endswith("/purelib/" + member) or n.endswith("/platlib/" + member)]
        if len(names) != 1:
            raise SystemExit(f"{wheel}: expected one {member}, found {names}")
        return zf.read(names[0]).decode("utf-8"), names[0]


def wheel_metadata(wheel):
    """{"name", "version"} from the wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        meta = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        fields = {}
        for line in zf.read(meta[0]).decode("utf-8").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(": ")
            fields.setdefault(key, value)
        return {"name": fields.get("Name"), "version": fields.get("Version")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file")
    ap.add_argument("--wheel")
    ap.add_argument("--member")
    args = ap.parse_args()
    if args.file:
        with open(args.file, encoding="utf-8") as f:
            out = read_flags(f.read(), args.file)
    elif args.wheel and args.member:
        source, name = wheel_member(args.wheel, args.member)
        out = read_flags(source, name)
        out["release"] = wheel_metadata(args.wheel)
    else:
        ap.error("give --file, or --wheel and --member")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
