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
  // For the server-side check: every name in the statement (as PostgreSQL folds it, schema
  // dropped), since `row.fn` calls fn(row) without parentheses, and every operator, since an
  // operator calls its function.
  std::vector<std::string> names, operators;
};

// Allowed: one SELECT, WITH of selects only, VALUES, TABLE, SHOW, or EXPLAIN without ANALYZE,
// that calls no function of the deny list, takes no row locks and creates nothing.
ReadOnlyVerdict vet_read_only(std::string_view statement);

// EXPLAIN (without ANALYZE) accepts the statement and plans it without executing it.
bool explainable(std::string_view statement);

// The first side effect the statement's text names (a deny-listed function), or "".
std::string side_effect_in(std::string_view statement);

// The first call in the statement to a function that is not one of PostgreSQL's own
// (model/pg_functions.txt) or that names another schema than pg_catalog, as "fn()" or
// "schema.fn()"; "" when there is none. Such a function is the database's own: it may do
// anything, and only the server knows whether it is VOLATILE.
std::string user_function_call(std::string_view statement);

// A name of PostgreSQL 15's pg_catalog functions, as written there (case matters).
bool postgres_builtin_function(std::string_view name);

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

// The server-side check of a vetted statement: finds functions the database itself defines as
// VOLATILE outside pg_catalog (they may do anything, and their bodies are not visible to the
// vetting) that the statement may call, by name or through an operator. Each row is one, as
// "schema.fn()" or "operator OP (schema.fn())". `query` is "" when there is nothing to ask.
struct VolatileCheck {
  std::string query;
  std::vector<std::string> params;
};
VolatileCheck volatile_user_functions(const ReadOnlyVerdict& verdict);

}  // namespace opsbook::model
