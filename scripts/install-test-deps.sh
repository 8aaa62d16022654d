#!/usr/bin/env bash
# Installs what the kvrpcd test suite needs: redis-server, redis-cli and
# redis-benchmark (the reference implementation the integration tests compare
# against), tmux (redis-cli sessions in a terminal) and staticcheck. Safe to run repeatedly: it does nothing when
# everything is already there.
set -euo pipefail

STATICCHECK_VERSION="${STATICCHECK_VERSION:-v0.8.2}"

have() { command -v "$1" >/dev/null 2>&1; }

install_debian_packages() {
	local missing=()
	have redis-server || missing+=(redis-server)
	if ! have redis-cli || ! have redis-benchmark; then
		missing+=(redis-tools)
	fi
	have tmux || missing+=(tmux) # the redis-cli terminal-session tests
	if [ "${#missing[@]}" -eq 0 ]; then
		return 0
	fi

	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if have sudo; then
			sudo=(sudo -n)
		else
			echo "install-test-deps: need root or sudo to install: ${missing[*]}" >&2
			return 1
		fi
	fi
	if ! have apt-get; then
		echo "install-test-deps: apt-get not found; install by hand: ${missing[*]}" >&2
		return 1
	fi

	# The redis-server package starts a service on port 6379 when it can.
	# A policy-rc.d that denies every start keeps it from doing so; ours is
	# only put in place when none exists, and removed afterwards.
	local policy=/usr/sbin/policy-rc.d
	local made_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 0755 "$policy"
		made_policy=1
	fi
	# shellcheck disable=SC2064 # expand now: the trap must remove this file
	trap "if [ $made_policy -eq 1 ]; then ${sudo[*]} rm -f $policy; fi" EXIT

	echo "install-test-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}"
}

install_staticcheck() {
	local bin
	bin="$(go env GOPATH)/bin/staticcheck"
	if [ -x "$bin" ]; then
		return 0
	fi
	echo "install-test-deps: installing staticcheck ${STATICCHECK_VERSION}"
	GOFLAGS= go install "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}"
}

install_debian_packages
install_staticcheck
