// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_VERSION_H
#define BRIGHTOFFICE_VERSION_H

#include <string_view>

namespace brightoffice {

/// The library's version, e.g. "0.1.0".
std::string_view Version() noexcept;

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_VERSION_H
