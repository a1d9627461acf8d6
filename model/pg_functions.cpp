// PostgreSQL's own function names, read once from the embedded model/pg_functions.txt.
#include <string>
#include <string_view>
#include <unordered_set>

#include "sql_read_only.hpp"
#include "text.hpp"

namespace opsbook::model {

extern const std::string_view k_pg_functions_text;  // generated from pg_functions.txt

bool postgres_builtin_function(std::string_view name) {
  static const std::unordered_set<std::string_view> k_names = [] {
    std::unordered_set<std::string_view> names;
    for (std::string_view line : split_lines(k_pg_functions_text)) {
      line = trim(line);
      if (!line.empty() && !line.starts_with('#')) names.insert(line);
    }
    return names;
  }();
  return k_names.count(name) != 0;
}

}  // namespace opsbook::model
