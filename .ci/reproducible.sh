#!/usr/bin/env bash
# Reproducible builds: two builds of one commit give byte-identical jars.
#
# Builds HEAD in a fresh clone (another directory, another time) and compares every jar that
# build makes, byte for byte, with the same jar of a reference build of the same commit:
#   .ci/reproducible.sh DIR   DIR is a finished build of HEAD (a work tree where ./mvnw package or
#                             verify ran, with no changes to tracked files), as .ci/run passes it
#   .ci/reproducible.sh       builds HEAD twice, in two fresh clones
# The jars are the published ones (jar, sources, Javadoc) and the runnable and benchmark jars.
# What makes it hold: project.build.outputTimestamp in pom.xml (the time written into every
# archive entry and the Javadoc footer's year) and plugins that honour it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$root" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

build() { # build DIR: a clone of HEAD in DIR, packaged
  git clone -q "$root" "$1"
  git -C "$1" checkout -q --detach "$commit"
  (cd "$1" && ./mvnw -B -ntp -q package -Dmaven.test.skip=true)
}

jars() { # jars DIR: every jar the build made, relative to DIR
  (cd "$1" && find . -path '*/target/*.jar' -not -path '*/target/*/*' | sort)
}

if [ $# -ge 1 ]; then
  reference="$(cd "$1" && pwd)"
  if [ "$(git -C "$reference" rev-parse HEAD)" != "$commit" ] || ! git -C "$reference" diff --quiet HEAD; then
    echo "reproducible: $reference is not a clean build of $commit" >&2
    exit 1
  fi
else
  reference="$work/first"
  build "$reference"
fi
build "$work/second"

mapfile -t expected < <(jars "$reference")
mapfile -t actual < <(jars "$work/second")
if [ "${#expected[@]}" -eq 0 ] || [ "${expected[*]}" != "${actual[*]}" ]; then
  echo "reproducible: the two builds made different sets of jars:" >&2
  diff <(printf '%s\n' "${expected[@]}") <(printf '%s\n' "${actual[@]}") >&2 || true
  exit 1
fi
differ=0
for jar in "${expected[@]}"; do
  if ! cmp -s "$reference/$jar" "$work/second/$jar"; then
    differ=$((differ + 1))
    echo "reproducible: differs: ${jar#./}" >&2
    # Which entries differ, to start the search.
    diff <(unzip -lv "$reference/$jar" | awk 'NF>=8 {print $5, $6, $7, $8}') \
         <(unzip -lv "$work/second/$jar" | awk 'NF>=8 {print $5, $6, $7, $8}') | head -20 >&2 || true
  fi
done
if [ "$differ" -gt 0 ]; then
  echo "reproducible: $differ of ${#expected[@]} jars differ between two builds of $commit" >&2
  exit 1
fi
echo "reproducible: ${#expected[@]} jars byte-identical between two builds of ${commit:0:10}"
