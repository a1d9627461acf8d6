// The one history schema, as numbered migrations in SQL that SQLite and PostgreSQL both take.
// A store applies, in one transaction, the steps after its recorded version.
#pragma once

#include <string_view>
#include <vector>

namespace opsbook::history {

// Migration k (0-based) brings the schema from version k to k + 1; each is a list of statements.
const std::vector<std::vector<std::string_view>>& migrations();
inline int current_schema_version() { return static_cast<int>(migrations().size()); }

}  // namespace opsbook::history
