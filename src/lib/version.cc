#include "brightoffice/version.h"

namespace brightoffice {

std::string_view Version() noexcept { return BRIGHTOFFICE_VERSION; }

}  // namespace brightoffice
