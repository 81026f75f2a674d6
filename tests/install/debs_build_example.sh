#!/usr/bin/env bash
# The installed SDK, as a connector author gets it: builds the Debian
# packages (cpack), unpacks them into a scratch root with dpkg-deb -x (no
# root rights, no system install, nothing from the source tree on any path),
# then against that root alone:
#   1. examples/out-of-tree-plugin configures with find_package(Sluice),
#      builds, and its tests pass with the unpacked `sluice`;
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

# 1. CMake: find_package(Sluice) from the unpacked root only.
cmake -S "$source/examples/out-of-tree-plugin" -B "$scratch/example" -DCMAKE_PREFIX_PATH="$root" \
  -DSLUICE_CLI="$root/bin/sluice" > "$scratch/configure.log" || { cat "$scratch/configure.log"; exit 1; }
grep -q "Sluice_DIR:PATH=$root/" "$scratch/example/CMakeCache.txt" \
  || { echo "find_package(Sluice) did not use the unpacked package: $(grep Sluice_DIR "$scratch/example/CMakeCache.txt")" >&2; exit 1; }
cmake --build "$scratch/example" -j"$(nproc)" > "$scratch/build.log" || { cat "$scratch/build.log"; exit 1; }
ctest --test-dir "$scratch/example" --output-on-failure

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
