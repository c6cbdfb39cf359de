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

readelf -d "$minimal" > "$work/minimal.dynamic"
expect_contains "$work/minimal.dynamic" "libbrightoffice.so."   # the shared facade of this build
start_mock "$mock" "$work/requests"
check_minimal "$minimal" "$work/out.txt"
check_existing_gsoap_app "$existing" "$work/requests" "$work/out.txt"
echo "examples (build tree) OK"
