// SQL snippets through libpqxx, without psql: statements split and bound by the model, sent one
// at a time with their values as parameters, results printed as aligned tables, errors as the
// server words them. Read-only runs hold to the read-only vetting and the role check.
#include <pqxx/pqxx>

#include <algorithm>

#include "model/sql_read_only.hpp"
#include "model/target.hpp"
#include "model/terminal_text.hpp"
#include "model/text.hpp"
#include "runner/backends.hpp"

namespace opsbook::runner {

namespace {

std::string table(const pqxx::result& r) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width(static_cast<size_t>(r.columns()), 0);
  std::vector<std::string> header;
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
    header.emplace_back(r.column_name(c));
    width[static_cast<size_t>(c)] = header.back().size();
  }
  for (const auto& row : r) {
    std::vector<std::string> line;
    for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
      line.emplace_back(row[c].is_null() ? "NULL" : row[c].c_str());
      width[static_cast<size_t>(c)] = std::max(width[static_cast<size_t>(c)], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto format = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t c = 0; c < line.size(); ++c) {
      if (c) out += " | ";
      out += line[c];
      if (c + 1 < line.size()) out += std::string(width[c] - line[c].size(), ' ');
    }
    return out + "\n";
  };
  std::string out = format(header);
  for (size_t c = 0; c < width.size(); ++c) out += (c ? "-+-" : "") + std::string(width[c], '-');
  out += "\n";
  for (const auto& line : cells) out += format(line);
  out += "(" + model::counted(r.size(), "row") + ")\n";
  return out;
}

// Why a read-only run must stop before `step` ("" to go on): the vetting again (the caller
// decided on it), or a VOLATILE function of the database's own.
std::string refuse_read(pqxx::transaction_base& tx, const SqlStep& step) {
  model::ReadOnlyVerdict v = model::vet_read_only(step.text);
  if (!v.allowed) return v.reason;
  model::VolatileCheck check = model::volatile_user_functions(v);
  if (check.query.empty()) return "";
  pqxx::result r = tx.exec_params(check.query, pqxx::prepare::make_dynamic_params(check.params));
  if (r.empty()) return "";
  return "calls " + r[0][0].as<std::string>() + ", a VOLATILE function defined in the database, which may change data; mark the snippet safety=mutating to run it behind a confirmation";
}

std::string role_refusal(pqxx::transaction_base& tx) {
  pqxx::row r = tx.exec_params1(std::string(model::k_role_privileges_query));
  std::string why = model::privileged_role_reason({r[0].as<std::string>(), r[1].as<bool>(), r[2].as<bool>(), r[3].as<bool>(), r[4].as<bool>()});
  if (why.empty()) return "";
  return why + ": read-only SQL runs only as an unprivileged role; connect as a read-only role (see docs/SECURITY.md), or set allow_privileged_role: true in the environment";
}

}  // namespace

int exec_sql(const std::string& dsn, const std::vector<SqlStep>& steps, SqlAccess access, bool allow_privileged_role, std::chrono::milliseconds timeout,
             const Output& out) {
  std::string password = model::dsn_password(dsn);
  bool read_only = access == SqlAccess::read_only;
  try {
    pqxx::connection conn(dsn);
    conn.set_client_encoding("UTF8");  // the encoding the SQL tokenizer reads
    std::unique_ptr<pqxx::transaction_base> tx;
    if (read_only) tx = std::make_unique<pqxx::read_transaction>(conn);
    else tx = std::make_unique<pqxx::work>(conn);
    tx->exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count()));
    tx->exec("SET LOCAL standard_conforming_strings = on");  // strings as the SQL tokenizer reads them
    if (read_only && !allow_privileged_role) {
      if (std::string why = role_refusal(*tx); !why.empty()) {
        out(2, model::terminal_text("opsbook: not run: " + why, model::Lines::many) + "\n");
        return 2;
      }
    }
    for (const auto& st : steps) {
      if (st.meta) {
        out(2, model::terminal_text("opsbook: skipped psql meta-command " + st.text.substr(0, st.text.find_first_of(" \t\n"))) + "\n");
        continue;
      }
      if (read_only) {
        if (std::string why = refuse_read(*tx, st); !why.empty()) {
          out(2, model::terminal_text("opsbook: not run: line " + std::to_string(st.line) + ": " + why, model::Lines::many) + "\n");
          return 2;
        }
      }
      pqxx::result r = tx->exec_params(st.text, pqxx::prepare::make_dynamic_params(st.values));
      if (r.columns() > 0) out(1, table(r));
      else out(1, "OK, " + model::counted(static_cast<size_t>(r.affected_rows()), "row") + " affected\n");
    }
    if (read_only) tx->abort();
    else tx->commit();
    return 0;
  } catch (const std::exception& e) {
    // The server's message can quote a value: opsbook's own words, escaped (s11a review B10).
    out(2, model::terminal_text(model::scrub(e.what(), password), model::Lines::many) + (std::string_view(e.what()).ends_with("\n") ? "" : "\n"));
    return 1;
  }
}

}  // namespace opsbook::runner
