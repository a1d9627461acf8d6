// The build's checksums are model/checksum's (shared with the shellcheck cache).
#pragma once

#include "model/checksum.hpp"

namespace opsbook::generator {

using model::content_hash;
using model::Sha256;
using model::sha256;

}  // namespace opsbook::generator
