#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#
# examples.sh MINIMAL EXISTING_GSOAP_APP MOCK WORK_DIR
#
# The examples as built inside this build (BRIGHTOFFICE_BUILD_EXAMPLES), against its targets
# brightoffice::brightoffice and brightoffice::bindings rather than an installed package: run
# against this build's brightoffice-mock, with the checks of the install tests.
source "$(dirname "$0")/../install/common.sh"
minimal=$1 existing=$2 mock=$3 work=$4
rm -rf "$work"
mkdir -p "$work"

# (libbrightoffice.so.: the shared facade of this build)
check_examples "$mock" "$work" "libbrightoffice.so." "$existing" "$minimal"
echo "examples (build tree) OK"
