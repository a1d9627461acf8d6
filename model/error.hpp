// The one exception type for failures of the environment that stop a run (unreadable config,
// unwritable output). Only cli/main.cpp catches it: it prints "opsbook: error: ..." and exits 2.
#pragma once

#include <stdexcept>
#include <string>

namespace opsbook {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace opsbook
