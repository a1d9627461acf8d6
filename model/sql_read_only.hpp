// What SQL opsbook may execute when it promises not to change anything (live checks, `opsbook
// run` of read-only SQL): an allow list of statements, a deny list of side-effecting functions
// and the role check. Pure decisions; the libpqxx adapters run them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opsbook::model {

struct ReadOnlyVerdict {
  bool allowed = false;
  std::string reason;                  // why not, naming the statement or function; "" when allowed
  std::vector<std::string> functions;  // every name called (lower case, schema dropped), for the server-side check
};

// Allowed: one SELECT, WITH of selects only, VALUES, TABLE, SHOW, or EXPLAIN without ANALYZE,
// that calls no function of the deny list, takes no row locks and creates nothing.
ReadOnlyVerdict vet_read_only(std::string_view statement);

// EXPLAIN (without ANALYZE) accepts the statement and plans it without executing it.
bool explainable(std::string_view statement);

// The first side effect the statement's text names (a deny-listed function), or "".
std::string side_effect_in(std::string_view statement);

struct DeniedFunction {
  std::string_view name;    // exact name, or a prefix when it ends in '*'
  std::string_view effect;  // what it does, for messages and docs/SECURITY.md
};
// The deny list (PostgreSQL 15 and common extensions).
const std::vector<DeniedFunction>& denied_functions();

// The role behind a connection: the query, and what it means.
inline constexpr std::string_view k_role_privileges_query =
    "SELECT current_user::text, "
    "EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolsuper AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')), "
    "pg_catalog.pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER'), "
    "pg_catalog.pg_has_role(current_user, 'pg_write_server_files', 'MEMBER'), "
    "pg_catalog.pg_has_role(current_user, 'pg_read_server_files', 'MEMBER')";
struct RolePrivileges {
  std::string role;
  bool superuser = false;  // is one, or may become one (member of a superuser role)
  bool execute_program = false, write_files = false, read_files = false;
};
// "" for an unprivileged role; else e.g. "role 'postgres' is a superuser".
std::string privileged_role_reason(const RolePrivileges& role);

// Finds functions the statement calls that the database itself defines as VOLATILE outside
// pg_catalog (they may do anything, and their bodies are not visible to the vetting): the query
// takes the names from vet_read_only().functions as $1, $2, ...
std::string volatile_user_functions_query(size_t names);

}  // namespace opsbook::model
