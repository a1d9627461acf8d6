// The SQLite history store: WAL mode and a busy timeout so that shards recorded by separate
// processes wait for each other instead of failing; one prepared INSERT per table in one
// transaction for bulk rows.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <filesystem>
#include <fstream>
#include <thread>

#include "history/history.hpp"
#include "history/schema.hpp"
#include "history/seal.hpp"
#include "model/error.hpp"
#include "model/file_io.hpp"

namespace opsbook::history {

namespace {

constexpr int k_busy_timeout_ms = 60000;

// A failed SQLite call, with SQLite's result code: damage found while reading or writing is told
// as the file's (StoreRefused), not as a bare SQLite message.
class SqliteFailure : public Error {
 public:
  SqliteFailure(const std::string& what, int code) : Error(what), m_code(code) {}
  [[nodiscard]] int code() const { return m_code; }

 private:
  int m_code;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK) fail("prepare");
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Not copied (100,000 rows of a report are bound in place): `v` must outlive the statement's steps.
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& bind(int i, long long v) {
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
  }
  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail("step");
    return false;
  }
  void run() {
    step();
    reset();
  }
  void reset() { sqlite3_reset(m_stmt); }
  std::string text(int col) const { return std::string(view(col)); }
  // Valid until the next step or reset.
  std::string_view view(int col) const {
    const unsigned char* t = sqlite3_column_text(m_stmt, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
  }
  long long integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  double real(int col) const { return sqlite3_column_double(m_stmt, col); }
  // Whether the first columns hold the storage classes opsbook writes there, one letter a column:
  // 't' text, 'i' integer, 'r' real. SQLite orders by class before bytes and converts on reading:
  // the same bytes as a BLOB keep a seal and sort a run first (s9b review R2). Call before reading.
  bool stored_as(std::string_view classes) const {
    for (size_t i = 0; i < classes.size(); ++i) {
      int want = classes[i] == 't' ? SQLITE_TEXT : classes[i] == 'i' ? SQLITE_INTEGER : SQLITE_FLOAT;
      if (sqlite3_column_type(m_stmt, static_cast<int>(i)) != want) return false;
    }
    return true;
  }
  // Whether integer column `col` is within [lo, hi]: a value out of range is a wrong row, never wrapped.
  bool within(int col, long long lo, long long hi) const { return integer(col) >= lo && integer(col) <= hi; }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw SqliteFailure(std::string("history (SQLite): ") + what + ": " + sqlite3_errmsg(m_db), sqlite3_errcode(m_db) & 0xff);
  }
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path) : Store(path), m_path(path) {
    // A symlink committed in its place (or in the folder's) would make opsbook write elsewhere.
    if (std::string why = model::make_state_folder(path); !why.empty()) throw Error("history: " + why + ": opsbook keeps its history only in a real folder");
    // A FIFO would block the first read for ever; a symlink would make opsbook write elsewhere.
    if (struct stat st {}; ::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      throw StoreRefused(StoreRefused::Why::foreign, StoreRefused::Backend::sqlite, path, S_ISLNK(st.st_mode) ? "a symlink" : "not a regular file");
    }
    // SQLite takes a file shorter than its header for an empty database and writes over it: only
    // a file of no bytes is a new history (s9b review R8).
    if (!empty_or_sqlite(path)) throw StoreRefused(StoreRefused::Why::foreign, StoreRefused::Backend::sqlite, path, "not an SQLite database");
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK) {
      std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      throw Error("history: cannot open " + path + ": " + why);
    }
    sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
    try {
      guard();
      enter_wal();
      exec("PRAGMA synchronous=NORMAL");
      migrate();
    } catch (const StoreRefused&) {
      sqlite3_close(m_db);
      throw;
    } catch (const Error& e) {  // a file SQLite cannot read: name it, what is wrong and the way out
      int code = sqlite3_errcode(m_db) & 0xff;
      std::string why = sqlite3_errmsg(m_db);
      sqlite3_close(m_db);
      if (code == SQLITE_NOTADB) throw StoreRefused(StoreRefused::Why::foreign, StoreRefused::Backend::sqlite, path, "not an SQLite database");
      if (code == SQLITE_CORRUPT) throw StoreRefused(StoreRefused::Why::damaged, StoreRefused::Backend::sqlite, path, why);
      std::string what = e.what();
      if (what.find(path) != std::string::npos) throw;
      throw Error("history: " + path + " cannot be used (" + what + "): check that it is readable and writable by this user");
    }
  }
  ~SqliteStore() override { sqlite3_close(m_db); }

  void record(const ShardRecord& s) override {
    check_shard_number(s);
    told_as_file([&] { record_rows(s); });
  }

  void read_runs(bool live_only, size_t, SealedRunReader& reader) override {
    told_as_file([&] { scan_runs(live_only, reader); });
  }

  int schema_version() override {
    Statement q(m_db, "SELECT version FROM opsbook_schema");
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
  }

 protected:
  // A deferred read transaction: in WAL mode its snapshot is taken at its first read and kept.
  void begin_snapshot() override { exec("BEGIN"); }
  void end_snapshot() override { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }

 private:
  // Whether `path` is missing, of no bytes, or starts with SQLite's header.
  static bool empty_or_sqlite(const std::string& path) {
    static constexpr char k_magic[] = "SQLite format 3";  // and its NUL: 16 bytes
    std::ifstream in(path, std::ios::binary);
    if (!in) return true;  // missing (or unreadable: SQLite's open says so)
    char head[sizeof k_magic] = {};
    in.read(head, sizeof head);
    return in.gcount() == 0 || (in.gcount() == static_cast<std::streamsize>(sizeof head) && std::equal(head, head + sizeof head, k_magic));
  }

  // Damage past the schema, found while reading or writing, is told as at opening: the file
  // named, left as it is, and the way forward (s9b review R4).
  template <class F>
  void told_as_file(F&& work) {
    try {
      work();
    } catch (const SqliteFailure& e) {
      if (e.code() != SQLITE_CORRUPT && e.code() != SQLITE_NOTADB) throw;
      throw StoreRefused(StoreRefused::Why::damaged, StoreRefused::Backend::sqlite, m_path, sqlite3_errstr(e.code()));
    }
  }

  void record_rows(const ShardRecord& s) {
    // Step 1: the run and the shard, marked as recording.
    {
      Transaction tx(*this);
      check_run(s);
      std::string seal = run_seal(s.run_id, s.started_at, s.env, s.shard_count, s.set_fingerprint);
      Statement(m_db, "INSERT OR IGNORE INTO opsbook_runs VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
          .bind(1, s.run_id).bind(2, s.started_at).bind(3, s.env).bind(4, static_cast<long long>(s.shard_count)).bind(5, s.set_fingerprint).bind(6, seal).run();
      Statement(m_db, "INSERT OR REPLACE INTO opsbook_shards VALUES (?1, ?2, 'recording', '')").bind(1, s.run_id).bind(2, static_cast<long long>(s.shard)).run();
      tx.commit();
    }
    // Step 2: its rows, replacing an earlier recording, and the shard complete.
    Transaction tx(*this);
    auto shard = static_cast<long long>(s.shard);
    Statement(m_db, "DELETE FROM opsbook_results WHERE run_id = ?1 AND shard = ?2").bind(1, s.run_id).bind(2, shard).run();
    Statement(m_db, "DELETE FROM opsbook_findings WHERE run_id = ?1 AND shard = ?2").bind(1, s.run_id).bind(2, shard).run();
    Statement results(m_db, "INSERT INTO opsbook_results VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    results.bind(1, s.run_id).bind(2, shard);
    for (const CheckRow& r : s.results) {
      results.bind(3, r.file).bind(4, static_cast<long long>(r.line)).bind(5, r.kind).bind(6, r.snippet).bind(7, r.target);
      results.bind(8, r.expectation).bind(9, r.outcome).bind(10, r.detail).bind(11, r.latency_ms).bind(12, r.digest).run();
    }
    Statement findings(m_db, "INSERT INTO opsbook_findings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    findings.bind(1, s.run_id).bind(2, shard);
    for (const FindingRow& f : s.findings) {
      findings.bind(3, f.file).bind(4, static_cast<long long>(f.line)).bind(5, f.rule).bind(6, f.severity).bind(7, f.message).run();
    }
    std::string seal = shard_seal(s);
    Statement(m_db, "UPDATE opsbook_shards SET state = 'complete', seal = ?3 WHERE run_id = ?1 AND shard = ?2").bind(1, s.run_id).bind(2, shard).bind(3, seal).run();
    tx.commit();
  }

  // The run row's columns as SELECTed by scan_runs and check_run, and the storage classes
  // opsbook writes them with (the rowid, last, is the row's key).
  static constexpr const char* k_run_columns = "run_id, started_at, env, set_fingerprint, seal, shard_count, rowid";
  static constexpr std::string_view k_run_classes = "ttttti";

  // The run row of `q` (columns k_run_columns first); not typed (never sealed) when a value has
  // another storage class than opsbook's or a shard count out of range.
  static RunRow run_row(const Statement& q) {
    bool typed = q.stored_as(k_run_classes), counted = q.within(5, 1, UINT_MAX);
    return {q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), static_cast<unsigned>(counted ? q.integer(5) : 0), typed && counted, q.text(6)};
  }

  void scan_runs(bool live_only, SealedRunReader& reader) {
    // The runs first, then each run's rows in the order of the (run_id, file, line) index: sorting
    // every row of 1,000 runs at once took most of `history show`'s time. Every row of a run is
    // read: its shards' seals cover them all.
    Snapshot snapshot(*this);
    Statement runs(m_db, std::string("SELECT ") + k_run_columns + " FROM opsbook_runs" + (live_only ? " WHERE env <> ''" : "") +
                             " ORDER BY started_at DESC, run_id DESC");
    Statement shards(m_db, "SELECT shard, state, seal FROM opsbook_shards WHERE run_id = ?1");
    Statement q(m_db, "SELECT file, line, kind, snippet, target, expectation, outcome, detail, latency_ms, shard, digest FROM opsbook_results WHERE run_id = ?1 ORDER BY file, line");
    PastCheckView v;
    for (bool more = true; more && runs.step();) {
      RunRow run = run_row(runs);
      std::vector<ShardRow> found;
      shards.bind(1, run.run_id);
      while (shards.step()) {
        bool typed = shards.stored_as("itt");  // before reading: a value read as text is converted
        found.push_back({shards.integer(0), shards.text(1), shards.text(2), typed});
      }
      shards.reset();
      std::string run_id = run.run_id;
      if (reader.begin(std::move(run), std::move(found))) {
        q.bind(1, run_id);
        while (q.step()) {
          if (!q.stored_as("tittttttrit") || !q.within(1, INT_MIN, INT_MAX)) {
            reader.wrong_row();
            continue;
          }
          v.file = q.view(0), v.line = static_cast<int>(q.integer(1)), v.kind = q.view(2), v.snippet = q.view(3), v.target = q.view(4);
          v.expectation = q.view(5), v.outcome = q.view(6), v.detail = q.view(7), v.latency_ms = q.real(8), v.digest = q.view(10);
          reader.row(q.integer(9), v);
        }
        q.reset();
      }
      more = reader.end();
    }
  }

  // BEGIN IMMEDIATE: the write lock up front, so concurrent writers queue on the busy timeout.
  class Transaction {
   public:
    explicit Transaction(SqliteStore& s) : m_s(s) { m_s.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
      if (!m_done) sqlite3_exec(m_s.m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
      m_s.exec("COMMIT");
      m_done = true;
    }

   private:
    SqliteStore& m_s;
    bool m_done = false;
  };

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : sqlite3_errmsg(m_db);
      sqlite3_free(err);
      throw SqliteFailure("history: " + m_path + ": " + why, sqlite3_errcode(m_db) & 0xff);
    }
  }

  // Switching a new file to WAL takes its exclusive lock from a shared one. When several
  // processes open the same new file at once, SQLite answers SQLITE_BUSY at once, without the
  // busy handler (two connections upgrading their shared locks would deadlock): retry until the
  // busy timeout is spent.
  void enter_wal() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
    int rc = SQLITE_OK;
    while ((rc = sqlite3_exec(m_db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr)) == SQLITE_BUSY && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (rc != SQLITE_OK) throw Error("history: " + m_path + ": " + sqlite3_errmsg(m_db));
  }

  // Readers of an up-to-date store take no write lock; a migration holds it, so concurrent
  // openers of an old store migrate it once.
  void migrate() {
    if (has_schema_table() && schema_version() == current_schema_version()) return;
    Transaction tx(*this);
    exec("CREATE TABLE IF NOT EXISTS opsbook_schema (version INTEGER NOT NULL)");
    int version = schema_version();
    if (version == 0) exec("INSERT INTO opsbook_schema VALUES (0)");
    if (version > current_schema_version()) throw newer(version);
    for (int v = version; v < current_schema_version(); ++v) {
      for (std::string_view sql : migrations()[static_cast<size_t>(v)]) exec(std::string(sql).c_str());
    }
    Statement(m_db, "UPDATE opsbook_schema SET version = ?1").bind(1, static_cast<long long>(current_schema_version())).run();
    tx.commit();
  }

  // The file may come from a pull request (.opsbook/ is in the repository): triggers and views
  // never run (a trigger on opsbook_runs ran an endless query at every record), the schema's SQL
  // functions are not trusted, the file's own structure cannot be rewritten through SQL, and its
  // schema must be exactly the one opsbook's migrations make: a generated column, a constraint or
  // an expression index of the file's own would run on every insert (an outcome always 'pass').
  void guard() {
    int off = 0;
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, &off);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &off);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &off);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, &off);
    std::vector<std::string> found = schema_of(m_db);
    if (found.empty()) return;  // a new file
    auto foreign = [&](const std::string& detail) { return StoreRefused(StoreRefused::Why::foreign, StoreRefused::Backend::sqlite, m_path, detail); };
    auto first_line = [](const std::string& object) { return object.substr(0, object.find('\n')); };
    if (!has_schema_table()) throw foreign("an SQLite database of something else: it holds " + first_line(found.front()) + " and no table 'opsbook_schema'");
    // The version is read only from a table of opsbook's shape (s10b review B11: one without the
    // column was "cannot be used ...: check that it is readable and writable by this user").
    static const std::string k_schema_table = reference_schema(0).front();
    if (std::find(found.begin(), found.end(), k_schema_table) == found.end()) {
      throw foreign("it holds a table 'opsbook_schema' that is not the one opsbook makes");
    }
    int version = 0;
    {
      Statement rows(m_db, "SELECT count(*), min(typeof(version)) FROM opsbook_schema");
      bool one = rows.step() && rows.integer(0) == 1 && rows.text(1) == "integer";
      version = one ? schema_version() : 0;
      if (!one || version < 0) throw foreign("its schema version is " + (one ? std::to_string(version) : std::string("not one number")) + ", which opsbook never writes");
    }
    if (version > current_schema_version()) throw newer(version);
    std::vector<std::string> expected = reference_schema(version);
    for (size_t i = 0; i < std::max(found.size(), expected.size()); ++i) {
      if (i < found.size() && i < expected.size() && found[i] == expected[i]) continue;
      if (i < found.size()) throw foreign("it holds " + first_line(found[i]) + " that opsbook's schema does not");
      throw foreign("it lacks " + first_line(expected[i]) + " of opsbook's schema");
    }
  }

  StoreRefused newer(int version) const {
    return StoreRefused(StoreRefused::Why::newer, StoreRefused::Backend::sqlite, m_path,
                        "schema version " + std::to_string(version) + "; this opsbook reads up to " + std::to_string(current_schema_version()));
  }

  // Every object of a database as "type 'name'\nSQL", in a stable order.
  static std::vector<std::string> schema_of(sqlite3* db) {
    std::vector<std::string> out;
    Statement q(db, "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
    while (q.step()) out.push_back("a " + q.text(0) + " '" + q.text(1) + "'\n" + q.text(2));
    return out;
  }

  // The schema opsbook's migrations make up to `version`, built in memory the way migrate() does.
  static std::vector<std::string> reference_schema(int version) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      throw Error("history: SQLite cannot open a database in memory");
    }
    std::string script = "CREATE TABLE IF NOT EXISTS opsbook_schema (version INTEGER NOT NULL);";
    for (int v = 0; v < version; ++v) {
      for (std::string_view sql : migrations()[static_cast<size_t>(v)]) script.append(sql).append(";");
    }
    bool ok = sqlite3_exec(db, script.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    std::vector<std::string> out = ok ? schema_of(db) : std::vector<std::string>{};
    sqlite3_close(db);
    if (!ok) throw Error("history: opsbook's own schema does not build in memory");
    return out;
  }

  bool has_schema_table() {
    Statement q(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'opsbook_schema'");
    return q.step();
  }

  // A shard of a run already recorded must belong to the same run, and its row be one opsbook
  // sealed: a row planted under the id this run records would keep its outcome (s8c review R3).
  void check_run(const ShardRecord& s) {
    Statement q(m_db, std::string("SELECT ") + k_run_columns + " FROM opsbook_runs WHERE run_id = ?1");
    q.bind(1, s.run_id);
    if (!q.step()) return;
    RunRow there = run_row(q);
    if (!run_sealed(there)) throw Error(planted_run(s.run_id));
    if (there.shard_count != s.shard_count || there.set_fingerprint != s.set_fingerprint || there.env != s.env) {
      throw Error(run_mismatch(s, there.shard_count, there.set_fingerprint, there.env));
    }
  }

  std::string m_path;
  sqlite3* m_db = nullptr;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path) { return std::make_unique<SqliteStore>(path); }

}  // namespace opsbook::history
