#!/usr/bin/env python3
"""Generates respio's command descriptors from the servers' command specifications.

    tools/gen_commands.py [--specs DIR] [--out DIR]

Reads every <command>.json of the specs folder (default ../shared/valkey-commands next to the
checkout) and writes include/respio/commands/<group>.hpp, commands/tokens.hpp and the umbrella
include/respio/commands.hpp (below --out, default the repository root). The output is committed;
a test regenerates it into a temporary folder and fails when the committed files differ.
Standard library only.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import command_overrides as overrides  # noqa: E402

CPP_KEYWORDS = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case",
    "catch", "char", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
    "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
    "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float",
    "for", "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept",
    "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private", "protected", "public",
    "register", "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
    "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
    "volatile", "wchar_t", "while", "xor", "xor_eq",
}

COMMAND_FLAGS = {
    "READONLY": "readonly", "WRITE": "write", "DENYOOM": "denyoom", "ADMIN": "admin", "PUBSUB": "pubsub",
    "NOSCRIPT": "noscript", "BLOCKING": "blocking", "LOADING": "loading", "STALE": "stale",
    "SKIP_MONITOR": "skip_monitor", "SKIP_SLOWLOG": "skip_slowlog", "ASKING": "asking", "FAST": "fast",
    "NO_AUTH": "no_auth", "MAY_REPLICATE": "may_replicate", "SENTINEL": "sentinel",
    "ONLY_SENTINEL": "only_sentinel", "NO_MANDATORY_KEYS": "no_mandatory_keys", "PROTECTED": "protected_",
    "NO_ASYNC_LOADING": "no_async_loading", "NO_MULTI": "no_multi", "ALLOW_BUSY": "allow_busy",
    "TOUCHES_ARBITRARY_KEYS": "touches_arbitrary_keys",
}

KEY_SPEC_FLAGS = {
    "RO": "ro", "RW": "rw", "OW": "ow", "RM": "rm", "ACCESS": "access", "UPDATE": "update",
    "INSERT": "insert", "DELETE": "del", "NOT_KEY": "not_key", "INCOMPLETE": "incomplete",
    "VARIABLE_FLAGS": "variable_flags",
}

ARG_KINDS = {
    "key": "key", "string": "string", "integer": "integer", "double": "double_type", "pattern": "pattern",
    "unix-time": "unix_time", "pure-token": "pure_token", "oneof": "oneof", "block": "block",
}

GROUP_TITLES = {
    "bitmap": "bitmaps", "cluster": "cluster management", "connection": "connection management",
    "generic": "keys (generic)", "geo": "geospatial indexes", "hash": "hashes",
    "hyperloglog": "HyperLogLog", "list": "lists", "pubsub": "pub/sub", "scripting": "scripting and functions",
    "sentinel": "Sentinel", "server": "server management", "set": "sets", "sorted_set": "sorted sets",
    "stream": "streams", "string": "strings", "transactions": "transactions",
}


def identifier(text):
    """A C++ identifier for a command or token name."""
    ident = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    if not ident or ident[0].isdigit():
        ident = "_" + ident
    if ident in CPP_KEYWORDS:
        ident += "_"
    return ident


def cpp_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def doc_text(text):
    return " ".join(text.replace("*/", "* /").split())


class Command:
    def __init__(self, name, spec):
        self.spec = spec
        self.container = spec.get("container", "")
        self.name = name
        self.full_name = f"{self.container} {name}" if self.container else name
        self.tokens = [self.container, name] if self.container else [name]
        self.ident = identifier("_".join(self.tokens))
        self.group = spec["group"]


def normalize(arguments):
    """Mends the few spec entries that break the format's own rules."""
    for a in arguments:
        # SENTINEL SIMULATE-FAILURE's pure tokens carry no token: the name is what goes on the wire.
        if a["type"] == "pure-token" and "token" not in a:
            a["token"] = a["name"].upper()
        normalize(a.get("arguments", []))


def load(specs_dir):
    commands = []
    for file in sorted(os.listdir(specs_dir)):
        if not file.endswith(".json"):
            continue
        with open(os.path.join(specs_dir, file), encoding="utf-8") as f:
            data = json.load(f)
        (name, spec), = data.items()
        normalize(spec.get("arguments", []))
        commands.append(Command(name, spec))
    idents = {}
    for c in commands:
        if c.ident in idents:
            raise SystemExit(f"two commands map to one identifier {c.ident}: {c.full_name}, {idents[c.ident]}")
        idents[c.ident] = c.full_name
    return commands


#
# Argument grammar
#

def flatten_arguments(arguments):
    """Breadth-first layout: top-level nodes first, each node's children contiguous."""
    nodes = []

    def place(args):
        first = len(nodes)
        for a in args:
            nodes.append([a, 0, 0])
        for i, a in enumerate(args):
            children = a.get("arguments", [])
            if children:
                nodes[first + i][1] = place(children)
                nodes[first + i][2] = len(children)
        return first

    place(arguments)
    return nodes


def token_ident(arg):
    token = arg["token"]
    if re.fullmatch(r"[A-Za-z0-9_\-]+", token):
        return identifier(token)
    return identifier(arg["name"])  # "$", "*", "~", '""': named after the argument


def grammar_line(a, first, count):
    fields = [f"::respio::detail::arg_kind::{ARG_KINDS[a['type']]}",
              "true" if a.get("optional") else "false",
              "true" if a.get("multiple") else "false",
              "true" if a.get("multiple_token") else "false",
              str(first), str(count),
              cpp_string(a.get("token", ""))]
    return "{" + ", ".join(fields) + "}"


def syntax(arguments):
    """The usual documentation syntax: SET key value [NX | XX] ..."""
    def one(a):
        if a["type"] == "pure-token":
            text = a["token"]
        elif a["type"] == "oneof":
            text = " | ".join(one(c) for c in a["arguments"])
            text = text if a.get("optional") else "<" + text + ">"
        elif a["type"] == "block":
            text = " ".join(one(c) for c in a["arguments"])
        else:
            text = a.get("display", a["name"])
        if "token" in a and a["type"] != "pure-token":
            text = a["token"] + " " + text
        if a.get("multiple"):
            text = text + (" ..." if not a.get("multiple_token") else f" [{text} ...]")
        if a.get("optional"):
            text = "[" + text + "]"
        return text
    return " ".join(one(a) for a in arguments)


#
# Result types from reply_schema
#

def is_null(s):
    return isinstance(s, dict) and s.get("type") == "null"


def cpp_type(schema):
    if not isinstance(schema, dict):
        return "respio::value"
    if "const" in schema:
        v = schema["const"]
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, int):
            return "std::int64_t"
        return "respio::ok" if v == "OK" else "std::string"
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = schema[key]
            nullable = any(is_null(o) for o in options)
            rest = [o for o in options if not is_null(o)]
            consts = [o.get("const") for o in rest if isinstance(o, dict) and "const" in o]
            if rest and len(consts) == len(rest):
                if all(isinstance(c, int) and not isinstance(c, bool) for c in consts):
                    t = "bool" if set(consts) <= {0, 1} else "std::int64_t"
                elif all(c == "OK" for c in consts):
                    t = "respio::ok"
                elif all(isinstance(c, str) for c in consts):
                    t = "std::string"
                else:
                    t = "respio::value"
            else:
                types = {cpp_type(o) for o in rest}
                # integer consts beside integers: integers
                if types <= {"std::int64_t", "bool"} and "std::int64_t" in types:
                    types = {"std::int64_t"}
                t = types.pop() if len(types) == 1 else "respio::value"
            if nullable and t != "respio::value":
                return f"std::optional<{t}>"
            return t
    t = schema.get("type")
    if t == "string":
        return "std::string"
    if t == "integer":
        return "std::int64_t"
    if t == "number":
        return "double"
    if t == "boolean":
        return "bool"
    if t == "null":
        return "respio::value"
    if t == "array":
        items = schema.get("items")
        if isinstance(items, list):
            # A tuple that may grow (additionalItems) or shrink (minItems) is no fixed C++ tuple.
            if isinstance(schema.get("additionalItems"), dict) or schema.get("minItems", len(items)) < len(items):
                return "std::vector<respio::value>"
            inner = [cpp_type(i) for i in items]
            if len(inner) == 2:
                return f"std::pair<{inner[0]}, {inner[1]}>"
            return "std::tuple<" + ", ".join(inner) + ">"
        if isinstance(items, dict):
            return f"std::vector<{cpp_type(items)}>"
        return "std::vector<respio::value>"
    if t == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties") and not schema.get("patternProperties"):
            return f"std::map<std::string, {cpp_type(extra)}>"
        return "respio::value"
    return "respio::value"


#
# Output
#

def key_spec_line(ks):
    b = ks["begin_search"]
    f = ks["find_keys"]
    fields = {}
    if "index" in b:
        fields["begin_kind"] = "::respio::key_spec::begin::index"
        fields["index"] = str(b["index"]["pos"])
    elif "keyword" in b:
        fields["begin_kind"] = "::respio::key_spec::begin::keyword"
        fields["index"] = str(b["keyword"]["startfrom"])
        fields["keyword"] = cpp_string(b["keyword"]["keyword"])
    else:
        fields["begin_kind"] = "::respio::key_spec::begin::unknown"
    if "range" in f:
        fields["find_kind"] = "::respio::key_spec::find::range"
        fields["last"] = str(f["range"]["lastkey"])
        fields["step"] = str(f["range"]["step"])
        fields["limit"] = str(f["range"]["limit"])
    elif "keynum" in f:
        fields["find_kind"] = "::respio::key_spec::find::keynum"
        fields["step"] = str(f["keynum"]["step"])
        fields["keynum_index"] = str(f["keynum"]["keynumidx"])
        fields["first_key"] = str(f["keynum"]["firstkey"])
    else:
        fields["find_kind"] = "::respio::key_spec::find::unknown"
    flags = [f"::respio::key_spec::{KEY_SPEC_FLAGS[x]}" for x in ks.get("flags", []) if x in KEY_SPEC_FLAGS]
    fields["flags"] = "static_cast<std::uint16_t>(" + (" | ".join(flags) if flags else "0") + ")"
    order = ["begin_kind", "index", "keyword", "find_kind", "last", "step", "limit", "keynum_index",
             "first_key", "flags"]
    return "{" + ", ".join(f".{k} = {fields[k]}" for k in order if k in fields) + "}"


def policies(spec):
    req, resp = "default_keyless", "default_keyless"
    has_keys = bool(spec.get("key_specs"))
    if has_keys:
        req, resp = "default_keyed", "default_keyed"
    for tip in spec.get("command_tips", []):
        if tip.startswith("REQUEST_POLICY:"):
            req = tip.split(":", 1)[1].lower()
        elif tip.startswith("RESPONSE_POLICY:"):
            resp = tip.split(":", 1)[1].lower()
    return req, resp


def protocol_notes(schema):
    """Descriptions in a reply schema that say how RESP2 and RESP3 differ."""
    notes = []

    def walk(node):
        if isinstance(node, dict):
            d = node.get("description")
            if isinstance(d, str) and ("RESP2" in d or "RESP3" in d) and doc_text(d) not in notes:
                notes.append(doc_text(d))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return notes


def emit_descriptor(c, out):
    s = c.spec
    args = s.get("arguments", [])
    nodes = flatten_arguments(args)
    req, resp = policies(s)
    flags = [f"::respio::command_flag::{COMMAND_FLAGS[f]}" for f in s.get("command_flags", []) if f in COMMAND_FLAGS]
    key_specs = s.get("key_specs", [])
    name = c.full_name

    if "BLOCKING" in s.get("command_flags", []) and name not in overrides.BLOCKING:
        raise SystemExit(f"{name} is BLOCKING but has no entry in command_overrides.BLOCKING")

    if name in overrides.RESULT_TYPES:
        result = overrides.RESULT_TYPES[name]
    else:
        result = cpp_type(s.get("reply_schema"))

    out.append(f"/// {doc_text(s.get('summary', name))}")
    out.append("///")
    out.append(f"/// `{name}{(' ' + syntax(args)) if args else ''}`")
    out.append("///")
    out.append(f"/// Complexity: {doc_text(s.get('complexity', 'not documented'))}  ")
    out.append(f"/// Since: {s.get('since', '?')}. Group: {c.group}."
               + (f" Deprecated since {s['deprecated_since']}: use {doc_text(s.get('replaced_by', 'another command'))}."
                  if s.get("deprecated_since") else ""))
    for note in protocol_notes(s.get("reply_schema")):
        out.append(f"/// Reply ({'RESP2/RESP3'}): {note}")
    out.append(f"/// Result: `{result if name not in overrides.RESULT_FOR_TOKEN else overrides.RESULT_FOR_TOKEN[name][2] + ' (with ' + overrides.RESULT_FOR_TOKEN[name][0] + ': ' + overrides.RESULT_FOR_TOKEN[name][1] + ')'}` (the same for RESP2 and RESP3).")
    out.append(f"/// @see https://valkey.io/commands/{c.ident.replace('_', '-')}/")
    out.append(f"struct {c.ident} {{")
    out.append("    static constexpr std::string_view name_tokens[] = {" + ", ".join(cpp_string(t) for t in c.tokens) + "};")
    if nodes:
        out.append("    static constexpr ::respio::detail::arg_node args[] = {")
        for a, first, count in nodes:
            out.append("        " + grammar_line(a, first, count) + ",")
        out.append("    };")
    else:
        out.append("    static constexpr ::respio::detail::arg_node args[1] = {};")
    out.append(f"    static constexpr std::size_t top_args = {len(args)};")
    if key_specs:
        out.append("    static constexpr ::respio::key_spec key_specs[] = {")
        for ks in key_specs:
            out.append("        " + key_spec_line(ks) + ",")
        out.append("    };")
    info = [f".name = {cpp_string(name)}", f".arity = {s.get('arity', 0)}",
            ".flags = " + (" | ".join(flags) if flags else "::respio::command_flag::none"),
            f".request = ::respio::request_policy::{req}", f".response = ::respio::response_policy::{resp}"]
    if key_specs:
        info += [".keys = key_specs", f".key_spec_count = {len(key_specs)}"]
    if name in overrides.KEY_FINDERS:
        info.append(f".finder = ::respio::key_finder::{overrides.KEY_FINDERS[name]}")
    if name in overrides.REPLY_KEYS:
        info.append(f".reply_key_names = ::respio::reply_keys::{overrides.REPLY_KEYS[name]}")
    if name in overrides.KEY_PATTERNS:
        info.append(".key_pattern = true")
    if name in overrides.BLOCKING:
        index, keyword, unit = overrides.BLOCKING[name]
        info.append(f".block_index = {index}")
        if keyword:
            info.append(f".block_keyword = {cpp_string(keyword)}")
        info.append(f".block_in_milliseconds = {'true' if unit == 'ms' else 'false'}")
    info += [f".since = {cpp_string(s.get('since', ''))}", f".group = {cpp_string(c.group)}"]
    out.append("    static constexpr ::respio::command_info meta{" + ", ".join(info) + "};")
    if name in overrides.RESULT_FOR_TOKEN:
        tok, with_t, without_t = overrides.RESULT_FOR_TOKEN[name]
        out.append(f"    using result_type = {without_t};")
        out.append("    template <class... Args>")
        out.append(f"    using result_for = std::conditional_t<::respio::detail::has_token<{cpp_string(tok)}, Args...>, {with_t}, {without_t}>;")
    else:
        out.append(f"    using result_type = {result};")
    out.append("};")
    out.append("")


HEADER_TOP = """// GENERATED by tools/gen_commands.py from the Valkey command specifications: do not edit.
// Command data: Valkey src/commands/*.json, BSD 3-Clause (see the specs' COPYING).
"""


def guard(path):
    return "RESPIO_" + re.sub(r"[^0-9A-Za-z]", "_", path).upper()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(specs_dir, out_root):
    commands = load(specs_dir)
    inc = os.path.join(out_root, "include", "respio")

    # Tokens
    tokens = {}

    def collect(args):
        for a in args:
            if "token" in a:
                ident = token_ident(a)
                prev = tokens.get(ident)
                if prev is not None and prev.lower() != a["token"].lower():
                    raise SystemExit(f"token identifier {ident} stands for {prev} and {a['token']}")
                tokens.setdefault(ident, a["token"])
            collect(a.get("arguments", []))

    for c in commands:
        collect(c.spec.get("arguments", []))
    lines = [HEADER_TOP.rstrip(), "// Option tokens shared by all commands: `opt::nx`, `opt::ex(10)`, `opt::limit(0, 10)`.",
             "#ifndef RESPIO_COMMANDS_TOKENS_HPP", "#define RESPIO_COMMANDS_TOKENS_HPP", "",
             "#include <respio/command.hpp>", "", "namespace respio::opt {", ""]
    for ident in sorted(tokens):
        lines.append(f"inline constexpr token<{cpp_string(tokens[ident])}> {ident}{{}};")
    lines += ["", "} // namespace respio::opt", "", "#endif // RESPIO_COMMANDS_TOKENS_HPP", ""]
    write(os.path.join(inc, "commands", "tokens.hpp"), "\n".join(lines))

    # One header per group
    groups = {}
    for c in commands:
        groups.setdefault(c.group, []).append(c)
    for group, cmds in sorted(groups.items()):
        rel = f"commands/{group}.hpp"
        g = guard(rel)
        lines = [HEADER_TOP.rstrip(), f"// Commands of the group \"{group}\" ({GROUP_TITLES.get(group, group)}): "
                 f"{len(cmds)} commands.", f"#ifndef {g}", f"#define {g}", "",
                 "#include <respio/command.hpp>", "#include <respio/commands/tokens.hpp>",
                 "#include <respio/types.hpp>", "", "#include <cstdint>", "#include <map>", "#include <optional>",
                 "#include <string>", "#include <string_view>", "#include <tuple>", "#include <type_traits>",
                 "#include <utility>", "#include <vector>", "", "namespace respio::desc {", ""]
        for c in cmds:
            emit_descriptor(c, lines)
        lines += ["} // namespace respio::desc", "", "namespace respio::cmd {", ""]
        for c in cmds:
            lines.append(f"inline constexpr ::respio::command<desc::{c.ident}> {c.ident}{{}};")
        lines += ["", "} // namespace respio::cmd", "", f"#endif // {g}", ""]
        write(os.path.join(inc, rel), "\n".join(lines))

    # Umbrella
    lines = [HEADER_TOP.rstrip(), "// Every command descriptor. Include a group's header alone to compile less.",
             "#ifndef RESPIO_COMMANDS_HPP", "#define RESPIO_COMMANDS_HPP", ""]
    for group in sorted(groups):
        lines.append(f"#include <respio/commands/{group}.hpp>")
    lines += ["", "#endif // RESPIO_COMMANDS_HPP", ""]
    write(os.path.join(inc, "commands.hpp"), "\n".join(lines))
    return commands, tokens


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--specs", default=os.path.join(root, "..", "shared", "valkey-commands"))
    p.add_argument("--out", default=root)
    a = p.parse_args()
    commands, tokens = generate(a.specs, a.out)
    print(f"gen_commands: {len(commands)} commands, {len(tokens)} tokens -> {a.out}/include/respio/commands")


if __name__ == "__main__":
    main()
