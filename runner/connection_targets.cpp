// A filled value never picks a connection target (s9a review B5: `http://10.0.0.9:8080<path>`
// with `@127.0.0.1:6379`, and `psql -h 127.0.0.9 -d <db>` with `host=127.0.0.1`, reached another
// server).
#include "runner/connection_targets.hpp"

#include <algorithm>
#include <cctype>

#include "model/psql_variables.hpp"
#include "model/text.hpp"

namespace opsbook::runner {

namespace {

// A space-separated list holds `name`.
bool listed(std::string_view list, std::string_view name) {
  while (true) {
    size_t end = list.find(' ');
    if (list.substr(0, end) == name) return true;
    if (end == std::string_view::npos) return false;
    list.remove_prefix(end + 1);
  }
}

// A program's options that take a value: letters, and long names. Every other option is read as a
// flag, so a word after an option opsbook does not know counts as an operand: the rules below
// then err towards refusing.
struct Options {
  std::string_view letters;
  std::string_view names;
};

// What the word at `pos` is to the program at `tool`, read as getopt_long reads it: options
// anywhere before --, clusters of letters, a value joined or in the next word.
struct Reading {
  enum class Kind { operand, value, flag } kind = Kind::flag;
  size_t operand = 0;  // for an operand: how many operands come before it
  std::string option;  // for a value: its option (-d, --dbname; --dbn of --dbn=V as written)
  bool known = true;   // for a value: its option is one the table lists (not --dbn=V)
};

Reading read_word(const Options& o, const std::vector<std::string>& args, size_t tool, size_t pos) {
  auto value = [](std::string option, bool known = true) { return Reading{Reading::Kind::value, 0, std::move(option), known}; };
  bool options = true;
  size_t operands = 0;
  for (size_t j = tool + 1; j <= pos && j < args.size(); ++j) {
    std::string_view a = args[j];
    if (!options || a.size() < 2 || a[0] != '-') {
      if (j == pos) return Reading{Reading::Kind::operand, operands, "", true};
      ++operands;
      continue;
    }
    if (a == "--") {
      options = false;
      continue;
    }
    if (a.starts_with("--")) {
      std::string_view name = a.substr(0, a.find('='));
      bool known = listed(o.names, name);
      if (j == pos) return name == a ? Reading{} : value(std::string(name), known);
      if (name == a && known && ++j == pos) return value(std::string(name));
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      if (o.letters.find(a[k]) == std::string_view::npos) continue;
      std::string option = {'-', a[k]};
      if (k + 1 < a.size() && j == pos) return value(option);  // -dVALUE, -XdVALUE
      if (k + 1 == a.size() && ++j == pos) return value(option);
      break;
    }
    if (j == pos) return Reading{};
  }
  return Reading{};
}

// The first word before `pos` (at or after `first`) that names one of `tools`' programs: a
// program may stand behind wrappers (timeout 5 psql, env curl, sudo -u postgres psql).
template <typename Tool, size_t N>
std::pair<const Tool*, size_t> program_before(const Tool (&tools)[N], const std::vector<std::string>& args, size_t first, size_t pos) {
  for (size_t j = first; j < pos && j < args.size(); ++j) {
    std::string_view name = model::program_name(args[j]);
    for (const Tool& t : tools) {
      if (listed(t.names, name)) return {&t, j};
    }
  }
  return {nullptr, 0};
}

// Programs that take URLs: their operands are URLs (httpie-like ones: the first, or the second
// after a METHOD, then request items), and so are the values of `url_options`.
struct UrlTool {
  std::string_view names;
  Options options;
  std::string_view url_options;
  bool items;
};

constexpr UrlTool k_url_tools[] = {
    {"curl curl.exe", {"EKCbcdDFPHmoUQreXtzTuAwYyx",
      "--abstract-unix-socket --alt-svc --aws-sigv4 --cacert --capath --cert --cert-type --ciphers --config --connect-timeout --connect-to --continue-at --cookie --cookie-jar "
      "--create-file-mode --crlfile --curves --data --data-ascii --data-binary --data-raw --data-urlencode --delegation --dns-interface --dns-ipv4-addr --dns-ipv6-addr --dns-servers "
      "--doh-url --dump-header --egd-file --engine --etag-compare --etag-save --expect100-timeout --form --form-string --ftp-account --ftp-alternative-to-user --ftp-method --ftp-port "
      "--ftp-ssl-ccc-mode --happy-eyeballs-timeout-ms --header --hostpubmd5 --hostpubsha256 --hsts --interface --json --keepalive-time --key --key-type --krb --libcurl --limit-rate "
      "--local-port --login-options --mail-auth --mail-from --mail-rcpt --max-filesize --max-redirs --max-time --netrc-file --noproxy --oauth2-bearer --output --output-dir "
      "--parallel-max --pass --pinnedpubkey --proto --proto-default --proto-redir --proxy --preproxy --proxy1.0 --proxy-cacert --proxy-capath --proxy-cert --proxy-cert-type "
      "--proxy-ciphers --proxy-crlfile --proxy-header --proxy-key --proxy-key-type --proxy-pass --proxy-pinnedpubkey --proxy-service-name --proxy-tls13-ciphers --proxy-tlsauthtype "
      "--proxy-tlspassword --proxy-tlsuser --proxy-user --pubkey --quote --random-file --range --rate --referer --request --request-target --resolve --retry --retry-delay "
      "--retry-max-time --sasl-authzid --service-name --socks4 --socks4a --socks5 --socks5-gssapi-service --socks5-hostname --speed-limit --speed-time --stderr --telnet-option "
      "--tftp-blksize --time-cond --tls-max --tls13-ciphers --tlsauthtype --tlspassword --tlsuser --trace --trace-ascii --unix-socket --upload-file --url --url-query --user "
      "--user-agent --write-out --variable --ip-tos --vlan-priority --ech --ipfs-gateway"},
     "--url -x --proxy --preproxy --proxy1.0 --doh-url", false},
    {"wget wget2", {"oaeiBtOTwQPUlARDIX",
      "--output-file --append-output --execute --input-file --base --config --rejected-log --tries --retry-on-http-error --output-document --start-pos --progress --timeout "
      "--dns-timeout --connect-timeout --read-timeout --wait --waitretry --bind-address --limit-rate --quota --restrict-file-names --prefer-family --user --password "
      "--use-askpass --local-encoding --remote-encoding --directory-prefix --cut-dirs --http-user --http-password --default-page --header --compression --max-redirect "
      "--proxy-user --proxy-password --referer --load-cookies --save-cookies --post-data --post-file --method --body-data --body-file --user-agent --secure-protocol "
      "--certificate --certificate-type --private-key --private-key-type --ca-certificate --ca-directory --crl-file --pinnedpubkey --ciphers --ftp-user --ftp-password "
      "--warc-file --warc-header --warc-max-size --warc-dedup --warc-tempdir --backups --level --accept --reject --accept-regex --reject-regex --regex-type --domains "
      "--exclude-domains --follow-tags --ignore-tags --include-directories --exclude-directories --report-speed"},
     "", false},
    {"http https httpie xh xhs curlie", {"aAops",
      "--auth --auth-type --session --session-read-only --output --print --style --pretty --format-options --verify --cert --cert-key --cert-key-pass --proxy --timeout "
      "--max-redirects --boundary --ssl --ciphers --default-scheme --response-charset --response-mime --bearer --resolve --interface --http-version"},
     "", true},
    {"aria2c ab hey siege lynx w3m links elinks", {"", ""}, "", false},
};

// `before` up to its first literal / ? or # (not one inside ${...} or $(...)), npos when none.
size_t literal_path_start(std::string_view before, size_t from) {
  int depth = 0;
  for (size_t i = from; i < before.size(); ++i) {
    char c = before[i];
    if (c == '$' && i + 1 < before.size() && (before[i + 1] == '{' || before[i + 1] == '(')) ++depth, ++i;
    else if (depth > 0 && (c == '}' || c == ')')) --depth;
    else if (depth == 0 && (c == '/' || c == '?' || c == '#')) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool url_operand(const std::vector<std::string>& args, size_t first, size_t pos) {
  auto [tool, at] = program_before(k_url_tools, args, first, pos);
  if (tool == nullptr) return false;
  Reading r = read_word(tool->options, args, at, pos);
  if (r.kind == Reading::Kind::value) return listed(tool->url_options, r.option);
  if (r.kind != Reading::Kind::operand) return false;
  if (!tool->items || r.operand == 0) return true;
  if (r.operand > 1) return false;
  Reading method = read_word(tool->options, args, at, pos - 1);  // the word before, when it is the first operand
  std::string_view m = args[pos - 1];
  return method.kind == Reading::Kind::operand && method.operand == 0 &&
         std::all_of(m.begin(), m.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

std::string url_authority_risk(std::string_view before, std::string_view after, std::string_view value, bool url) {
  size_t scheme = before.find("://");
  bool authority = false;
  if (scheme != std::string_view::npos) authority = literal_path_start(before, scheme + 3) == std::string_view::npos;
  else if (url) authority = (!before.empty() || !after.empty()) && literal_path_start(before, 0) == std::string_view::npos;  // the whole word: a whole URL
  if (!authority) return "";
  // Authority text after the value (`<host>.internal:8080/`, `<user>@db`): a '/', '?' or '#' in
  // the value would end the authority there and leave the rest as path (s11a review B7).
  bool continues = !after.empty() && after.find_first_of("/?#") != 0;
  std::string_view host = continues ? value : value.substr(0, value.find_first_of("/?#"));
  bool plain = std::all_of(host.begin(), host.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' || c == ':'; });
  if (plain) return "";
  return "stands in a URL's host and port, where a value picks the server the request (and any credentials) goes to: pass a host name, an address or a port "
         "(letters, digits, . - _ :), or write the server in the snippet";
}

namespace {

// A libpq program's options that take a value, and those whose value is a database name or a
// connection string.
struct LibpqTool {
  std::string_view names;
  Options options;
  std::string_view dbname_options;
};

constexpr LibpqTool k_libpq[] = {
    {"psql", {model::k_psql_value_letters, "--host --port --username --command --dbname --file --log-file --output --field-separator --pset --record-separator --table-attr --set --variable"}, "-d --dbname"},
    {"pg_dump", {"hpUfFjZeEnNStTd", "--host --port --username --file --format --jobs --compress --lock-wait-timeout --extension --encoding --schema --exclude-schema --superuser --table "
                                    "--exclude-table --exclude-table-data --extra-float-digits --include-foreign-data --restrict-key --rows-per-insert --section --snapshot --dbname "
                                    "--role --exclude-extension --filter --table-and-children --exclude-table-and-children --exclude-table-data-and-children --sync-method"},
     "-d --dbname"},
    {"pg_dumpall", {"hpUfESdl", "--host --port --username --file --lock-wait-timeout --encoding --superuser --exclude-database --extra-float-digits --restrict-key --rows-per-insert "
                                "--dbname --database --role --filter"},
     "-d --dbname -l --database"},
    {"pg_restore", {"hpUdfFIjLnNPStT", "--host --port --username --dbname --file --format --index --jobs --use-list --schema --exclude-schema --function --superuser --table --trigger "
                                       "--restrict-key --section --role --filter"},
     "-d --dbname"},
    {"pg_isready", {"hpUdt", "--host --port --username --dbname --timeout"}, "-d --dbname"},
    {"pgbench", {"hpUFsbfcDjLPRtTM", "--host --port --username --fillfactor --scale --index-tablespace --partitions --partition-method --tablespace --builtin --file --client "
                                     "--define --jobs --latency-limit --progress --rate --transactions --time --protocol --aggregate-interval --log-prefix --max-tries "
                                     "--random-seed --sampling-rate --show-script"},
     ""},
    {"pg_basebackup", {"hpUDrtTlScZXFds", "--host --port --username --pgdata --max-rate --target --tablespace-mapping --waldir --label --slot --checkpoint --compress --wal-method "
                                          "--format --manifest-checksums --dbname --status-interval --incremental"},
     "-d --dbname"},
    {"createdb", {"hpUDElOST", "--host --port --username --tablespace --encoding --locale --lc-collate --lc-ctype --icu-locale --icu-rules --locale-provider --owner --strategy "
                               "--template --builtin-locale --maintenance-db"},
     "--maintenance-db"},
    {"dropdb", {"hpU", "--host --port --username --maintenance-db"}, "--maintenance-db"},
    {"vacuumdb", {"hpUdjPtnN", "--host --port --username --dbname --jobs --min-mxid-age --min-xid-age --parallel --table --schema --exclude-schema --buffer-usage-limit "
                               "--maintenance-db"},
     "-d --dbname --maintenance-db"},
    {"reindexdb", {"hpUdijSt", "--host --port --username --dbname --index --jobs --schema --table --tablespace --maintenance-db"}, "-d --dbname --maintenance-db"},
    {"clusterdb", {"hpUdt", "--host --port --username --dbname --table --maintenance-db"}, "-d --dbname --maintenance-db"},
    {"createuser", {"hpUcgmav", "--host --port --username --connection-limit --role --member-of --member --admin --valid-until"}, ""},
    {"dropuser", {"hpU", "--host --port --username"}, ""},
    {"pg_amcheck", {"hpUdDiIrRsStTj", "--host --port --username --database --exclude-database --index --exclude-index --relation --exclude-relation --schema --exclude-schema "
                                      "--table --exclude-table --jobs --startblock --endblock --maintenance-db"},
     "-d --database --maintenance-db"},
};

}  // namespace

std::string libpq_dbname_risk(const std::vector<std::string>& args, size_t first, size_t pos, std::string_view value) {
  if (value.find('=') == std::string_view::npos && value.find("://") == std::string_view::npos) return "";
  auto [tool, at] = program_before(k_libpq, args, first, pos);
  if (tool == nullptr) return "";
  // An operand may be the database name; so may the value of an option opsbook cannot name
  // (--dbn=V abbreviates --dbname).
  Reading r = read_word(tool->options, args, at, pos);
  bool dbname = r.kind == Reading::Kind::operand || (r.kind == Reading::Kind::value && (!r.known || listed(tool->dbname_options, r.option)));
  if (!dbname) return "";
  return "stands where " + std::string(model::program_name(args[at])) + " reads a database name, which libpq takes as a connection string when it holds = or ://, so a value could "
         "choose the server: pass a database name without = or ://, or write the connection in the snippet";
}

}  // namespace opsbook::runner
