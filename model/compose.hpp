// docker-compose files, read for drift checks: service names, published ports, environment keys.
#pragma once

#include <string>
#include <vector>

#include "diagnostic.hpp"

namespace opsbook::model {

struct ComposePort {
  int host = 0;       // published port (0 when only the container port is given)
  int container = 0;
  int line = 0;
};

struct ComposeService {
  std::string name;
  int line = 0;
  std::vector<ComposePort> ports;
  std::vector<std::string> environment;  // variable names
};

struct ComposeFile {
  std::string path;
  std::vector<ComposeService> services;
  [[nodiscard]] const ComposeService* service(std::string_view name) const;
};

// Reads the compose file `path` holding `text` (read by model::read_checkout_file); invalid YAML
// becomes a diagnostic on `diagnostics`.
ComposeFile parse_compose(const std::string& path, const std::string& text, Diagnostics& diagnostics);

}  // namespace opsbook::model
