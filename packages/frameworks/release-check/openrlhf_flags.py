"""The flags OpenRLHF's `train_ppo_ray` defines, read from release wheels with `ast`.

    python openrlhf_flags.py WHEEL [WHEEL ...]

prints {"<version>": {"release", "file", "flags", "subcommands", "unresolved"}, ...} (see argparse_flags.py).
The file cannot be imported here: it imports ray and, through OpenRLHF's trainer, vllm before its parser
is built, and OpenRLHF does not install without CUDA. Reading the wheel itself checks the exact release.
"""

import json
import sys

from argparse_flags import read_flags, wheel_member, wheel_metadata

ENTRY = "openrlhf/cli/train_ppo_ray.py"


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out = {}
    for wheel in sys.argv[1:]:
        release = wheel_metadata(wheel)
        if release["name"] != "openrlhf":
            raise SystemExit(f"{wheel} is {release['name']}, not openrlhf")
        source, name = wheel_member(wheel, ENTRY)
        out[release["version"]] = {"release": release, **read_flags(source, name)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
