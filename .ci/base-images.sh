#!/usr/bin/env bash
# Builds, from Debian's packages only, the local base images that CI's container build and compose stack use in place
# of the official images (no image registry is reachable from CI), and sets BUILD_IMAGE, RUNTIME_IMAGE,
# PROMETHEUS_IMAGE and ALERTMANAGER_IMAGE to them. Sourced by .ci/container-check.sh; runs alone as well.
# Each image is tagged with a hash of what it is made from and skipped when that tag exists, so a machine that keeps
# its Docker data builds them once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

suite=bookworm
root_image=replyclock-ci/debian:$suite

exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror this machine's apt already uses (its first URIs:/deb line), so that no host is written here.
mirror() {
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || { echo "base-images: no Debian mirror found in /etc/apt" >&2; return 1; }
  echo "$uri"
}

if ! exists "$root_image"; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap
  rootfs=$(mktemp -d /var/tmp/replyclock-rootfs.XXXXXX)
  start=$(date +%s)
  debootstrap --variant=minbase "$suite" "$rootfs" "$(mirror)" >/var/tmp/replyclock-debootstrap.log 2>&1 \
    || { tail -20 /var/tmp/replyclock-debootstrap.log >&2; rm -rf "$rootfs"; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/bash"]' - "$root_image" >/dev/null
  rm -rf "$rootfs"
  echo "base-images: $root_image from debootstrap in $(( $(date +%s) - start )) s"
fi

context=$(mktemp -d)
mkdir "$context/certs"
cp .ci/images/Dockerfile.debian "$context/"
cp /usr/local/share/ca-certificates/*.crt "$context/certs/" 2>/dev/null || true

# Prints the tag of the root image plus PACKAGES, building it when missing.
debian_image() {
  local name=$1 packages=$2 tag start
  tag=$( (cat "$context/Dockerfile.debian" "$context"/certs/* 2>/dev/null; echo "$packages") | sha256sum | cut -c1-12)
  if ! exists "replyclock-ci/$name:$tag"; then
    start=$(date +%s)
    docker build -q --network host -f "$context/Dockerfile.debian" --build-arg BASE="$root_image" \
      --build-arg PACKAGES="$packages" -t "replyclock-ci/$name:$tag" "$context" >/dev/null
    echo "base-images: replyclock-ci/$name:$tag built in $(( $(date +%s) - start )) s" >&2
  fi
  echo "replyclock-ci/$name:$tag"
}

BUILD_IMAGE=$(debian_image jdk17-maven "openjdk-17-jdk-headless maven")
RUNTIME_IMAGE=$(debian_image jre17 "openjdk-17-jre-headless")
PROMETHEUS_IMAGE=$(debian_image prometheus "prometheus")
ALERTMANAGER_IMAGE=$(debian_image alertmanager "prometheus-alertmanager")
export BUILD_IMAGE RUNTIME_IMAGE PROMETHEUS_IMAGE ALERTMANAGER_IMAGE
rm -rf "$context"
echo "base-images: $BUILD_IMAGE $RUNTIME_IMAGE $PROMETHEUS_IMAGE $ALERTMANAGER_IMAGE"
