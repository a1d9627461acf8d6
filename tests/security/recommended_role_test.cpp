// docs/SECURITY.md: "the recommended role for live checks". The documented SQL, run as written
// against the live stack's PostgreSQL 15, gives a role that check --live accepts (no
// live-privileged-role) and that cannot write, even outside opsbook.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <random>

#include "red_team.hpp"

using namespace opsbook;

TEST_CASE("promise: read-only checks never change anything -- the recommended role works as documented", "[security][sql]") {
  test::PgCanaries canaries;
  auto doc = test::parse(test::read_file(test::data_dir() + "/../../docs/SECURITY.md"), "docs/SECURITY.md");
  const model::Snippet* sql = doc.find_snippet("read-only-role");
  REQUIRE(sql);
  std::string password = "pw" + std::to_string(std::random_device{}());
  std::string text = sql->code;
  text.replace(text.find("<password>"), 10, password);
  test::pg_admin("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'opsbook_check') THEN DROP OWNED BY opsbook_check; DROP ROLE opsbook_check; END IF; END $$");
  test::pg_admin(text);
  std::string dsn = "postgresql://opsbook_check:" + password + "@127.0.0.1:" + test::stack().at("STACK_PG_PORT") + "/shop";
  ::setenv("OPSBOOK_PG_CHECK_DSN", dsn.c_str(), 1);

  test::TempDir dir;
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_CHECK_DSN"), "# T\n\n```sql\nSELECT count(*) FROM canary;\n```\n");
  INFO(c.run.out);
  CHECK(c.run.exit_code == 0);
  CHECK(c.report["results"][0]["detail"] == "1 row");
  CHECK(c.report["findings"].empty());

  pqxx::connection conn(dsn);  // even a client that is not opsbook cannot write with it
  pqxx::work tx(conn);
  CHECK_THROWS_WITH(tx.exec("DELETE FROM canary"), Catch::Contains("cannot execute DELETE in a read-only transaction"));
  CHECK(canaries.damage().empty());
}
