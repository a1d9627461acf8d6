// The shared PostgreSQL history store (libpqxx 6.4): migrations under an advisory lock so that
// concurrent shard writers migrate once, rows written with COPY (pqxx::stream_to), and library
// errors turned into opsbook::Error without the DSN.
#include <pqxx/pqxx>
#include <pqxx/stream_to>
#include <algorithm>
#include <climits>
#include <tuple>

#include "history/history.hpp"
#include "history/schema.hpp"
#include "history/seal.hpp"
#include "model/error.hpp"

namespace opsbook::history {

namespace {

constexpr long long k_migration_lock = 0x6f7073626f6f6b;  // "opsbook"
constexpr const char* k_where = "the PostgreSQL database";

class PostgresStore : public Store {
 public:
  explicit PostgresStore(const std::string& dsn) : Store("the PostgreSQL history") {
    guard([&] {
      m_conn = std::make_unique<pqxx::connection>(dsn);
      // A lock another session holds, or a statement that does not end, stops the read with an
      // error instead of stalling build and serve (s10b review B4: LOCK TABLE opsbook_runs made
      // build wait as long as it was held).
      pqxx::nontransaction(*m_conn).exec0("SET statement_timeout = '20s'; SET lock_timeout = '5s'");
      migrate();
    });
  }

  void record(const ShardRecord& s) override {
    check_shard_number(s);
    guard([&] {
      {
        pqxx::work tx(*m_conn);
        tx.exec_params("INSERT INTO opsbook_runs VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (run_id) DO NOTHING", s.run_id, s.started_at, s.env,
                       static_cast<long long>(s.shard_count), s.set_fingerprint, run_seal(s.run_id, s.started_at, s.env, s.shard_count, s.set_fingerprint));
        check_run(tx, s);
        tx.exec_params("INSERT INTO opsbook_shards VALUES ($1, $2, 'recording', '') ON CONFLICT (run_id, shard) DO UPDATE SET state = 'recording', seal = ''",
                       s.run_id, static_cast<long long>(s.shard));
        tx.commit();
      }
      pqxx::work tx(*m_conn);
      auto shard = static_cast<long long>(s.shard);
      tx.exec_params("DELETE FROM opsbook_results WHERE run_id = $1 AND shard = $2", s.run_id, shard);
      tx.exec_params("DELETE FROM opsbook_findings WHERE run_id = $1 AND shard = $2", s.run_id, shard);
      {
        pqxx::stream_to copy(tx, "opsbook_results");
        for (const CheckRow& r : s.results) {
          copy << std::make_tuple(s.run_id, shard, r.file, r.line, r.kind, r.snippet, r.target, r.expectation, r.outcome, r.detail, r.latency_ms, r.digest);
        }
        copy.complete();
      }
      {
        pqxx::stream_to copy(tx, "opsbook_findings");
        for (const FindingRow& f : s.findings) copy << std::make_tuple(s.run_id, shard, f.file, f.line, f.rule, f.severity, f.message);
        copy.complete();
      }
      tx.exec_params("UPDATE opsbook_shards SET state = 'complete', seal = $3 WHERE run_id = $1 AND shard = $2", s.run_id, shard, shard_seal(s));
      tx.commit();
    });
  }

  void read_runs(bool live_only, size_t first_batch, SealedRunReader& reader) override {
    guard([&] {
      Snapshot snapshot(*this);
      // Batches of runs, doubling, all read in one snapshot (s9 review R9), until the reader has
      // what it wants: a run left out never takes the place of one that counts (s9 review R7).
      auto batch = static_cast<long long>(std::clamp<size_t>(first_batch, k_first_batch, 4096));
      for (long long offset = 0;; offset += batch, batch *= 2) {
        if (!read_batch(live_only, batch, offset, reader)) return;
      }
    });
  }

  int schema_version() override {
    int v = 0;
    guard([&] {
      Snapshot snapshot(*this);
      v = m_snapshot->exec1("SELECT version FROM opsbook_schema")[0].as<int>();
    });
    return v;
  }

 protected:
  void begin_snapshot() override {
    guard([&] { m_snapshot = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(*m_conn); });
  }
  void end_snapshot() override { m_snapshot.reset(); }  // read only: nothing to commit

 private:
  // A shard count as opsbook writes it (1 or more), else 0: a planted -1 made `history show` fail
  // with a conversion error naming no row, and build lose every badge (s10b review B4).
  static unsigned shard_count_of(const pqxx::field& f) {
    long long n = f.is_null() ? 0 : f.as<long long>();
    return n >= 1 && n <= static_cast<long long>(UINT_MAX) ? static_cast<unsigned>(n) : 0;
  }

  // A run row; not typed (never sealed, so left out) when its shard count is out of range.
  static RunRow run_row(const pqxx::field& id, const pqxx::field& started, const pqxx::field& env, const pqxx::field& set, const pqxx::field& seal,
                        const pqxx::field& count) {
    unsigned n = shard_count_of(count);
    return {id.c_str(), started.c_str(), env.c_str(), set.c_str(), seal.c_str(), n, n != 0, id.c_str()};
  }

  template <typename F>
  void guard(F&& f) {
    try {
      f();
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      std::string why = e.what();
      if (size_t nl = why.find('\n'); nl != std::string::npos) why.resize(nl);
      throw Error("history (PostgreSQL): " + why);
    }
  }

  // The store must be opsbook's (s9 review R12): the columns of the opsbook_* tables exactly those
  // of its migrations up to the recorded version, that version one number; else it is refused
  // and left as it is.
  void migrate() {
    pqxx::work tx(*m_conn);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", k_migration_lock);
    std::vector<std::string> found = columns(tx, "current_schema()");
    auto foreign = [](const std::string& detail) { return StoreRefused(StoreRefused::Why::foreign, StoreRefused::Backend::postgres, k_where, detail); };
    // Views are listed with columns too: one with opsbook's columns that calls pg_sleep passed the
    // column check and stalled build (s10b review B4).
    auto not_tables = tx.exec("SELECT table_name || ' is a ' || lower(table_type) FROM information_schema.tables WHERE table_schema = current_schema()"
                              " AND table_name LIKE 'opsbook\\_%' AND table_type <> 'BASE TABLE' ORDER BY table_name COLLATE \"C\"");
    if (!not_tables.empty()) throw foreign(not_tables[0][0].as<std::string>() + ", not a table opsbook made");
    // Row-level security runs the policies' expressions on every read (s10c review B13: a policy
    // calling pg_sleep stalled build a minute, under the statement timeout each time).
    auto policed = tx.exec("SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'opsbook\\_%'"
                           " AND (c.relrowsecurity OR c.relforcerowsecurity OR c.relhasrules) ORDER BY c.relname COLLATE \"C\"");
    if (!policed.empty()) throw foreign(policed[0][0].as<std::string>() + " has row-level security or rules, which opsbook never sets");
    int version = 0;
    if (!found.empty()) {
      if (std::find(found.begin(), found.end(), "opsbook_schema.version integer") == found.end()) {
        throw foreign("it holds " + found.front() + " and no opsbook_schema.version integer");
      }
      auto rows = tx.exec("SELECT version FROM opsbook_schema");
      if (rows.size() != 1 || rows[0][0].is_null() || rows[0][0].as<int>() < 0) {
        throw foreign("its opsbook_schema holds " + (rows.size() == 1 ? "version " + std::string(rows[0][0].c_str()) : std::to_string(rows.size()) + " rows") +
                      ", which opsbook never writes");
      }
      version = rows[0][0].as<int>();
      if (version > current_schema_version()) {
        throw StoreRefused(StoreRefused::Why::newer, StoreRefused::Backend::postgres, k_where,
                           "schema version " + std::to_string(version) + "; this opsbook reads up to " + std::to_string(current_schema_version()));
      }
      std::vector<std::string> expected = reference_columns(tx, version);
      for (size_t i = 0; i < std::max(found.size(), expected.size()); ++i) {
        if (i < found.size() && i < expected.size() && found[i] == expected[i]) continue;
        if (i < found.size()) throw foreign("it holds column " + found[i] + " that opsbook's schema version " + std::to_string(version) + " does not");
        throw foreign("it lacks column " + expected[i] + " of opsbook's schema version " + std::to_string(version));
      }
    } else {
      tx.exec0("CREATE TABLE opsbook_schema (version INTEGER NOT NULL)");
      tx.exec0("INSERT INTO opsbook_schema VALUES (0)");
    }
    for (int v = version; v < current_schema_version(); ++v) {
      for (std::string_view sql : migrations()[static_cast<size_t>(v)]) tx.exec0(std::string(sql));
    }
    tx.exec_params("UPDATE opsbook_schema SET version = $1", current_schema_version());
    tx.commit();
  }

  // "table.column type" of every opsbook_* table in the schema `schema_sql` names, in order.
  static std::vector<std::string> columns(pqxx::transaction_base& tx, const std::string& schema_sql) {
    std::vector<std::string> out;
    auto rows = tx.exec("SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = " + schema_sql +
                        " AND table_name LIKE 'opsbook\\_%' ORDER BY table_name COLLATE \"C\", ordinal_position");
    for (const auto& row : rows) out.push_back(row[0].as<std::string>());
    return out;
  }

  // The columns opsbook's migrations make up to `version`, made in this session's temporary
  // schema and rolled back.
  static std::vector<std::string> reference_columns(pqxx::work& tx, int version) {
    pqxx::subtransaction sub(tx, "reference");
    sub.exec0("SET LOCAL search_path = pg_temp");
    auto temporary = [](std::string_view sql) {
      std::string out(sql);
      if (out.starts_with("CREATE TABLE ")) out.insert(7, "TEMP ");
      return out;
    };
    sub.exec0(temporary("CREATE TABLE opsbook_schema (version INTEGER NOT NULL)"));
    for (int v = 0; v < version; ++v) {
      for (std::string_view sql : migrations()[static_cast<size_t>(v)]) sub.exec0(temporary(sql));
    }
    std::vector<std::string> out = columns(sub, "(SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())");
    sub.abort();
    return out;
  }

  // The runs at `offset` (at most `batch`), with their shards and results, given to `reader`
  // until it has what it wants. False when it has, or when there are no more runs.
  bool read_batch(bool live_only, long long batch, long long offset, SealedRunReader& reader) {
    // Runs ordered bytewise (COLLATE "C"), as SQLite orders them, whatever the database's locale.
    // Every row of a run is read: its shards' seals cover them all.
    std::string recent = std::string("WITH recent AS (SELECT run_id, started_at, env, shard_count, set_fingerprint, seal FROM opsbook_runs") +
                         (live_only ? " WHERE env <> ''" : "") + " ORDER BY started_at COLLATE \"C\" DESC, run_id COLLATE \"C\" DESC LIMIT $1 OFFSET $2)";
    pqxx::transaction_base& tx = *m_snapshot;
    auto runs = tx.exec_params(recent +
                                   " SELECT recent.run_id, recent.started_at, recent.env, recent.shard_count, recent.set_fingerprint, recent.seal, s.shard, s.state, s.seal"
                                   " FROM recent LEFT JOIN opsbook_shards s ON s.run_id = recent.run_id"
                                   " ORDER BY recent.started_at COLLATE \"C\" DESC, recent.run_id COLLATE \"C\" DESC",
                               batch, offset);
    if (runs.empty()) return false;
    auto rows = tx.exec_params(recent +
                                   " SELECT x.file, x.line, x.kind, x.snippet, x.target, x.expectation, x.outcome, x.detail, x.latency_ms, recent.run_id, x.shard, x.digest"
                                   " FROM recent JOIN opsbook_results x ON x.run_id = recent.run_id"
                                   " ORDER BY recent.started_at COLLATE \"C\" DESC, recent.run_id COLLATE \"C\" DESC, x.file COLLATE \"C\", x.line",
                               batch, offset);
    auto text = [](const pqxx::field& f) { return std::string_view(f.c_str(), f.size()); };
    PastCheckView v;
    pqxx::result::size_type at = 0;
    long long runs_read = 0;
    for (pqxx::result::size_type i = 0; i < runs.size();) {
      RunRow run = run_row(runs[i][0], runs[i][1], runs[i][2], runs[i][4], runs[i][5], runs[i][3]);
      std::vector<ShardRow> shards;
      for (; i < runs.size() && text(runs[i][0]) == run.run_id; ++i) {
        if (!runs[i][6].is_null()) shards.push_back({runs[i][6].as<long long>(), runs[i][7].as<std::string>(), runs[i][8].as<std::string>()});
      }
      ++runs_read;
      std::string run_id = run.run_id;
      bool wanted = reader.begin(std::move(run), std::move(shards));
      for (; at < rows.size() && text(rows[at][9]) == run_id; ++at) {
        if (!wanted) continue;
        const auto& row = rows[at];
        v.file = text(row[0]), v.line = row[1].as<int>(), v.kind = text(row[2]), v.snippet = text(row[3]), v.target = text(row[4]);
        v.expectation = text(row[5]), v.outcome = text(row[6]), v.detail = text(row[7]), v.latency_ms = row[8].as<double>(), v.digest = text(row[11]);
        reader.row(row[10].as<long long>(), v);
      }
      if (!reader.end()) return false;
    }
    return runs_read == batch;
  }

  // As SqliteStore::check_run: a run row opsbook did not seal is refused (s8c review R3).
  static void check_run(pqxx::work& tx, const ShardRecord& s) {
    auto row = tx.exec_params1("SELECT shard_count, set_fingerprint, env, started_at, seal FROM opsbook_runs WHERE run_id = $1", s.run_id);
    unsigned count = shard_count_of(row[0]);
    std::string set = row[1].as<std::string>(), env = row[2].as<std::string>();
    if (!run_sealed(RunRow{s.run_id, row[3].as<std::string>(), env, set, row[4].as<std::string>(), count, true, s.run_id})) throw Error(planted_run(s.run_id));
    if (count != s.shard_count || set != s.set_fingerprint || env != s.env) throw Error(run_mismatch(s, count, set, env));
  }

  static constexpr size_t k_first_batch = 32;
  std::unique_ptr<pqxx::connection> m_conn;
  std::unique_ptr<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>> m_snapshot;
};

}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& dsn) { return std::make_unique<PostgresStore>(dsn); }

}  // namespace opsbook::history
