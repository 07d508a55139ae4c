#!/usr/bin/env bash
# The release build of this commit, short of the upload, and a check of what it would upload.
#
# In a fresh clone of HEAD, with the version's -SNAPSHOT dropped (Central takes releases only) and
# a throwaway signing key made here, it runs the README's release command with -DskipUpload=true
# (no Central token needed): the profile signs every artifact and central-publishing-maven-plugin
# writes the bundle it would upload. BundleCheck.java then checks the bundle file by file, and gpg
# checks every signature.
# Tests are skipped, not even compiled (.ci/run has just run them on the same commit), and so is
# the install: the release version must not land in the local repository. Maven runs online: the
# publishing plugin refuses to run offline.
#
# Usage: .ci/release-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

work="$(mktemp -d)"
cleanup() {
  if [ "${GNUPGHOME:-}" = "$work/gnupg" ]; then # the agent this script started, no other
    gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q "$root" "$work/src"
cd "$work/src"
echo "release-check: $(git log -1 --format='%h %s')"

snapshot="$(sed -n 's:^  <version>\(.*-SNAPSHOT\)</version>$:\1:p' pom.xml | head -1)"
if [ -n "$snapshot" ]; then # the release's version bump, as README.md's "Releasing" does it
  ./mvnw -B -ntp -q versions:set -DnewVersion="${snapshot%-SNAPSHOT}" -DgenerateBackupPoms=false \
    -DprocessAllModules=true
fi

# A throwaway key, in a GnuPG home of its own; the release reads it from the environment, as a
# maintainer's would (README.md, "Releasing").
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
passphrase="$(head -c 24 /dev/urandom | base64)"
gpg --batch --quiet --pinentry-mode loopback --passphrase "$passphrase" \
  --quick-gen-key 'LoudSync release check (throwaway) <release-check@loudsync.invalid>' ed25519 sign 1d
MAVEN_GPG_KEY="$(gpg --batch --pinentry-mode loopback --passphrase "$passphrase" --armor --export-secret-keys)"
export MAVEN_GPG_KEY
export MAVEN_GPG_PASSPHRASE="$passphrase"

./mvnw -B -ntp -s .ci/release-settings.xml -P release deploy \
  -DskipUpload=true -Dmaven.test.skip=true -Dmaven.install.skip=true
unset MAVEN_GPG_KEY MAVEN_GPG_PASSPHRASE

bundle="target/central-publishing/central-bundle.zip"
[ -f "$bundle" ] || { echo "release-check: no $bundle" >&2; find . -name central-bundle.zip >&2; exit 1; }
java "$root/.ci/BundleCheck.java" "$bundle" .

# Every signature is good, and made by the key above.
mkdir "$work/bundle"
(cd "$work/bundle" && unzip -q "$work/src/$bundle")
count=0
while IFS= read -r -d '' asc; do
  gpg --batch --quiet --verify "$asc" "${asc%.asc}" 2>/dev/null \
    || { echo "release-check: bad signature: ${asc#"$work/bundle/"}" >&2; exit 1; }
  count=$((count + 1))
done < <(find "$work/bundle" -name '*.asc' -print0)
echo "release-check: $count signatures verified"
