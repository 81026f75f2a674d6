#!/usr/bin/env bash
# The installed SDK, as a connector author gets it: builds the Debian
# packages (cpack), unpacks them into a scratch root with dpkg-deb -x (no
# root rights, no system install, nothing from the source tree on any path),
# then against that root alone:
#   1. docs/writing-a-connector.md (the packaged copy) followed verbatim:
#      `sluice new-plugin meter_events` writes the example renamed, which
#      configures with find_package(Sluice), builds, whose tests pass with
#      the unpacked `sluice`, and which passes `sluice test-plugin` against
#      its own fake as generated (the walk-through's last step);
#   2. the same connector builds with only `pkg-config --cflags --libs sluice`
#      and the unpacked `sluice spec` loads it;
#   3. the unpacked `sluice plugins` lists the packaged connectors.
# Usage: debs_build_example.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 source=$2 scratch=$3

rm -rf "$scratch"
mkdir -p "$scratch/packages" "$scratch/root"
(cd "$build" && cpack -G DEB -B "$scratch/packages" > "$scratch/cpack.log") || { cat "$scratch/cpack.log"; exit 1; }
debs=("$scratch"/packages/*.deb)
[[ ${#debs[@]} -eq 2 ]] || { echo "expected 2 packages, got: ${debs[*]}" >&2; exit 1; }
for deb in "${debs[@]}"; do
  echo "== $(basename "$deb"): $(dpkg-deb -f "$deb" Package) depends on: $(dpkg-deb -f "$deb" Depends)"
  dpkg-deb -x "$deb" "$scratch/root"
done
root=$scratch/root/usr
export PATH="$root/bin:$PATH"
unset SLUICE_PLUGIN_PATH

# 3. The runtime package alone finds its plugins next to its binary.
"$root/bin/sluice" plugins | grep -q "^synthetic " || { echo "the unpacked sluice lists no synthetic plugin" >&2; exit 1; }

# 1. docs/writing-a-connector.md as packaged, followed verbatim: its sh
#    blocks in order (new-plugin, CMake build with find_package(Sluice), its
#    tests, spec, ldd, test-plugin against the fake) in a scratch folder.
doc="$root/share/doc/sluice/writing-a-connector.md"
[[ -f "$doc" ]] || { echo "the sluice package has no $doc" >&2; exit 1; }
[[ -f "$root/share/doc/sluice/examples/out-of-tree-plugin/src/usage_api_connector.cpp" ]] \
  || { echo "libsluice-dev ships no example" >&2; exit 1; }
awk '/^```sh$/{on=1; next} /^```$/{on=0} on' "$doc" > "$scratch/walkthrough.sh"
[[ $(grep -c . "$scratch/walkthrough.sh") -ge 8 ]] || { echo "the walkthrough's sh blocks are missing" >&2; exit 1; }
mkdir -p "$scratch/walk"
(cd "$scratch/walk" && SLUICE_PREFIX="$root" bash -euo pipefail "$scratch/walkthrough.sh") > "$scratch/walkthrough.log" 2>&1 \
  || { cat "$scratch/walkthrough.log"; echo "following docs/writing-a-connector.md failed" >&2; exit 1; }
grep -q "100% tests passed" "$scratch/walkthrough.log" || { cat "$scratch/walkthrough.log"; exit 1; }
grep -q "^test-plugin: meter_events passed all 11 checks$" "$scratch/walkthrough.log" \
  || { cat "$scratch/walkthrough.log"; echo "the generated skeleton did not pass sluice test-plugin" >&2; exit 1; }
grep -q '| `api_key` | string | yes' "$scratch/walkthrough.log" || { echo "the walkthrough's sluice spec printed no api_key" >&2; exit 1; }
grep -q "Sluice_DIR:PATH=$root/" "$scratch/walk/meter_events/build/CMakeCache.txt" \
  || { echo "find_package(Sluice) did not use the unpacked package" >&2; exit 1; }
if grep -q "not found" "$scratch/walkthrough.log"; then echo "ldd: the plugin needs a missing library" >&2; exit 1; fi

# 2. pkg-config, without CMake.
export PKG_CONFIG_PATH=$(dirname "$(find "$root" -name sluice.pc)")
mkdir -p "$scratch/pc-plugins"
# shellcheck disable=SC2046
g++ -std=c++20 -O1 -shared -fPIC -o "$scratch/pc-plugins/sluice-usage_api.so" \
  "$source/examples/out-of-tree-plugin/src/usage_api_connector.cpp" $(pkg-config --cflags --libs sluice) \
  -Wl,--version-script="$root/lib/$(cd "$root/lib" && find . -name sluice_plugin.map | head -1)" -Wl,--no-undefined
"$root/bin/sluice" spec usage_api --plugin-dir "$scratch/pc-plugins" | grep -q '"api_key"' \
  || { echo "the pkg-config build of usage_api does not load" >&2; exit 1; }
echo "installed SDK: example built and tested with CMake and with pkg-config"
