// Placeholders in one SQL statement become bound parameters ($1, $2, ...), so a value travels
// as data and never as SQL text: `id = <id>` binds the value, `'%<name>%'` becomes a bound
// concatenation, and only placeholders declared as identifiers (`ident=NAME`) become (quoted)
// names. Anything opsbook cannot bind safely is refused with the reason.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runbook.hpp"

namespace opsbook::model {

struct SqlPlaceholder {
  std::string syntax;   // as written: "<order_id>", "{{order_id}}", "${ORDER_ID}"
  std::string name;
  std::string value;
  bool identifier = false;  // declared with the snippet's `ident` attribute
};

struct BoundSql {
  std::string text;                 // the statement, $n where values go
  std::vector<std::string> values;  // value of $n at [n - 1]
  std::string refusal;              // why it cannot be bound ("" when it can); names the parameter
};

BoundSql bind_sql(std::string_view statement, const std::vector<SqlPlaceholder>& placeholders);

// "name" with embedded quotes doubled; "schema.table" quotes each part. Refuses (returns "")
// names PostgreSQL would not keep as written: empty, NUL or control bytes, longer than 63 bytes.
std::string quote_sql_identifier(std::string_view value);

// The placeholders declared as identifiers by an `ident` attribute ("table,schema").
std::vector<std::string> identifier_names(std::string_view ident_attribute);

// A snippet's params with their values (params without one are left out), the `ident`
// attribute's names marked as identifiers.
std::vector<SqlPlaceholder> sql_placeholders(const Snippet& snippet, const std::map<std::string, std::string>& values);

}  // namespace opsbook::model
