#!/usr/bin/env python3
"""Regenerates the command headers into a scratch folder and compares them with the committed ones.

    check_generated_commands.py --source <repo root> --work <scratch dir> [--specs <dir>]

Fails (exit 1) on the first file that differs, is missing or is extra, naming it and the first
differing line. Exits 77 (ctest SKIP_RETURN_CODE) when the specs folder is absent.
"""

import argparse
import difflib
import os
import shutil
import subprocess
import sys


def generated_files(root):
    """Paths (relative to root) of include/respio/commands.hpp and include/respio/commands/*.hpp."""
    inc = os.path.join(root, "include", "respio")
    out = []
    if os.path.isfile(os.path.join(inc, "commands.hpp")):
        out.append(os.path.join("include", "respio", "commands.hpp"))
    folder = os.path.join(inc, "commands")
    if os.path.isdir(folder):
        out += [os.path.join("include", "respio", "commands", f) for f in sorted(os.listdir(folder)) if f.endswith(".hpp")]
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--specs")
    a = p.parse_args()
    specs = a.specs or os.path.join(a.source, "..", "shared", "valkey-commands")
    if not os.path.isdir(specs):
        print(f"SKIPPED: no command specs at {specs}")
        return 77

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    gen = os.path.join(a.source, "tools", "gen_commands.py")
    r = subprocess.run([sys.executable, gen, "--specs", specs, "--out", a.work], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        sys.stdout.write(r.stderr)
        print(f"FAILED: {gen} exited with {r.returncode}")
        return 1

    committed = generated_files(a.source)
    fresh = generated_files(a.work)
    if not fresh:
        print("FAILED: the generator wrote no include/respio/commands*.hpp")
        return 1
    for rel in sorted(set(committed) | set(fresh)):
        if rel not in fresh:
            print(f"FAILED: {rel} is committed but the generator no longer writes it")
            return 1
        if rel not in committed:
            print(f"FAILED: the generator writes {rel}, which is not committed")
            return 1
        with open(os.path.join(a.source, rel), "rb") as f:
            old = f.read()
        with open(os.path.join(a.work, rel), "rb") as f:
            new = f.read()
        if old != new:
            print(f"FAILED: {rel} differs from what tools/gen_commands.py generates (run it and commit the result)")
            diff = difflib.unified_diff(old.decode("utf-8", "replace").splitlines(),
                                        new.decode("utf-8", "replace").splitlines(),
                                        "committed/" + rel, "generated/" + rel, lineterm="", n=1)
            for i, line in enumerate(diff):
                if i >= 20:
                    print("...")
                    break
                print(line)
            return 1
    print(f"OK: {len(fresh)} generated files identical to the committed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
