#!/bin/sh
# The local container registry the registry-path tests push to and pull from (Debian's docker-registry,
# the CNCF distribution registry). Idempotent; run as root on Debian 12. Only the binary is used: the
# tests start it themselves on 127.0.0.1 with their own config and storage, so the packaged service
# (which would listen on every interface) is kept from starting during the install and left stopped.
set -eu

if [ "$(id -u)" -ne 0 ]; then
  echo "registry.sh: run as root (apt-get)" >&2
  exit 2
fi

if ! dpkg-query -W -f='${Status}' docker-registry 2>/dev/null | grep -q 'install ok installed'; then
  export DEBIAN_FRONTEND=noninteractive
  # No init system service here: a temporary policy-rc.d (only when none exists) denies starting it.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy=/usr/sbin/policy-rc.d
  fi
  trap '[ -z "$policy" ] || rm -f "$policy"' EXIT
  [ -n "$(ls /var/lib/apt/lists/*_Packages* 2>/dev/null)" ] || timeout 300 apt-get update -q
  timeout 600 apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 docker-registry
fi

echo "registry.sh: $(docker-registry --version)"
