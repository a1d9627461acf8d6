// SQL snippets through libpqxx, without psql: statements split by the model's SQL splitter,
// results printed as aligned tables, errors as the server words them.
#include <pqxx/pqxx>

#include <algorithm>

#include "model/sql.hpp"
#include "model/target.hpp"
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
  out += "(" + std::to_string(r.size()) + (r.size() == 1 ? " row)\n" : " rows)\n");
  return out;
}

}  // namespace

int exec_sql(const std::string& dsn, const std::string& code, bool read_only, std::chrono::milliseconds timeout, const Output& out) {
  std::string password = model::dsn_password(dsn);
  try {
    pqxx::connection conn(dsn);
    std::unique_ptr<pqxx::transaction_base> tx;
    if (read_only) tx = std::make_unique<pqxx::read_transaction>(conn);
    else tx = std::make_unique<pqxx::work>(conn);
    tx->exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count()));
    for (const auto& st : model::split_sql(code)) {
      if (st.meta) {
        out(2, "opsbook: skipped psql meta-command " + st.text.substr(0, st.text.find_first_of(" \t\n")) + "\n");
        continue;
      }
      pqxx::result r = tx->exec(st.text);
      if (r.columns() > 0) out(1, table(r));
      else out(1, "OK, " + std::to_string(r.affected_rows()) + " rows affected\n");
    }
    if (read_only) tx->abort();
    else tx->commit();
    return 0;
  } catch (const std::exception& e) {
    out(2, model::scrub(e.what(), password) + (std::string_view(e.what()).ends_with("\n") ? "" : "\n"));
    return 1;
  }
}

}  // namespace opsbook::runner
