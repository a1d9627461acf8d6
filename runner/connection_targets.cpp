// A filled value never picks a connection target (s9a review B5: `http://10.0.0.9:8080<path>`
// with `@127.0.0.1:6379`, and `psql -h 127.0.0.9 -d <db>` with `host=127.0.0.1`, reached another
// server).
#include "runner/connection_targets.hpp"

#include <algorithm>
#include <cctype>

#include "model/text.hpp"

namespace opsbook::runner {

std::string url_authority_risk(std::string_view before, std::string_view value) {
  size_t scheme = before.rfind("://");
  if (scheme == std::string_view::npos || before.find_first_of("/?#", scheme + 3) != std::string_view::npos) return "";
  std::string_view host = value.substr(0, value.find_first_of("/?#"));
  bool plain = std::all_of(host.begin(), host.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' || c == ':'; });
  if (plain) return "";
  return "stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host name, an address or a port "
         "(letters, digits, . - _ :), or write the server in the snippet";
}

std::string libpq_dbname_risk(const std::vector<std::string>& args, size_t first, size_t pos, std::string_view value) {
  if (first >= args.size() || pos <= first || pos >= args.size()) return "";
  std::string_view tool = model::program_name(args[first]);
  static constexpr std::string_view k_libpq[] = {"psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_isready", "pgbench", "pg_basebackup", "createdb",
                                                 "dropdb", "vacuumdb", "reindexdb", "clusterdb", "createuser", "dropuser", "pg_amcheck"};
  if (std::find(std::begin(k_libpq), std::end(k_libpq), tool) == std::end(k_libpq)) return "";
  if (value.find('=') == std::string_view::npos && value.find("://") == std::string_view::npos) return "";
  std::string_view arg = args[pos], prev = args[pos - 1];
  bool option_value = pos - 1 > first && ((prev.size() == 2 && prev[0] == '-' && prev[1] != '-') || (prev.starts_with("--") && prev.find('=') == std::string_view::npos));
  bool dbname = prev == "-d" || prev == "--dbname" || arg.starts_with("--dbname=") || (arg.starts_with("-d") && !arg.starts_with("--")) ||
                (!arg.starts_with('-') && !option_value);
  if (!dbname) return "";
  return "stands where " + std::string(tool) + " reads a database name, which libpq takes as a connection string when it holds = or ://, so a value could "
         "choose the server: pass a database name without = or ://, or write the connection in the snippet";
}

}  // namespace opsbook::runner
