// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_TIME_SCALE_H
#define BRIGHTOFFICE_TESTS_TIME_SCALE_H

#include <algorithm>
#include <cstdlib>

namespace brightoffice::tests {

/// Under valgrind and the sanitizers everything is slower: their scripts set
/// BRIGHTOFFICE_TIME_SCALE (tests/sanitizers/*.sh), and the tests stretch their deadlines, pauses
/// and bounds on elapsed time by it. 1 when unset.
inline int TimeScale() {
  const char* text = std::getenv("BRIGHTOFFICE_TIME_SCALE");
  return text != nullptr ? std::max(1, std::atoi(text)) : 1;
}

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_TIME_SCALE_H
