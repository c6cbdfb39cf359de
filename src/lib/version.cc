// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/version.h"

namespace brightoffice {

std::string_view Version() noexcept { return BRIGHTOFFICE_VERSION; }

}  // namespace brightoffice
