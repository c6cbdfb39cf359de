# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
# The two commands of the README:
#   make demo   installs missing Debian packages, builds, and runs `brightoffice-mfa demo`
#   make test   the same, then the whole test suite (ctest)
# Other targets: make deps | build | interop | generate | check-generated | clean
# Only deps, demo, test and interop install packages; `make build` only configures and builds.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian 12 packages the build and the tests need.
DEB_PACKAGES := g++ cmake make pkg-config gsoap libgsoap-dev libssl-dev zlib1g-dev openssl \
  doctest-dev libcli11-dev nlohmann-json3-dev libxml2-dev libxml2-utils curl tinyproxy \
  libbenchmark-dev

# For Makefile.gsoap's WSDL tools (tools/wsdl: OPERATIONS, fetch, diff): Python 3 with lxml.
DEB_PACKAGES += python3 python3-lxml

# For the install tests and the API docs: dpkg-shlibdeps (CPack's .deb) and Doxygen.
DEB_PACKAGES += dpkg-dev doxygen

# For the sanitizer tests (labels fuzz, asan, valgrind): clang with libFuzzer and the sanitizer
# runtimes, and valgrind.
DEB_PACKAGES += clang libclang-rt-14-dev valgrind

# For bench/engine_costs.sh: system calls per call (strace -c -f).
DEB_PACKAGES += strace

.PHONY: demo test deps interop-deps interop build generate check-generated clean

demo: deps
	$(MAKE) build TARGETS=brightoffice-mfa
	$(BUILD_DIR)/brightoffice-mfa demo

test: deps interop-deps
	$(MAKE) build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 300 -j $(JOBS)

# The independent SOAP stacks of the interop tests: Mono (ASMX), python3-zeep, node-soap. After
# deps: under make -j the two would otherwise run apt-get at once (one fails on dpkg's lock).
interop-deps: deps
	bash tests/interop/install-deps.sh

interop: deps interop-deps
	$(MAKE) build
	cd $(BUILD_DIR) && ctest -L interop --output-on-failure -j $(JOBS)

deps:
	@bash tools/ci/apt-install-missing.sh $(DEB_PACKAGES)

# TARGETS=...: only those (make demo builds the command-line tool alone); default: everything.
build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j $(JOBS) $(if $(TARGETS),--target $(TARGETS))

generate:
	$(MAKE) -f Makefile.gsoap

check-generated:
	$(MAKE) -f Makefile.gsoap check

clean:
	rm -rf $(BUILD_DIR)
