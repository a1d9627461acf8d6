// What changes how psql and the server read SQL text: the client encoding (in SJIS a byte of a
// character can be a backslash or end a string), standard_conforming_strings off (a backslash
// escapes a quote), backslash_quote; in SQL, a connection string or URI, PGOPTIONS. Read after
// decoding every spelling opsbook knows, and where it cannot read a name, the worst is assumed.
// One rule for the classifier (destructive) and for opsbook run (fills no value there).
#pragma once

#include <string>
#include <string_view>

namespace opsbook::model {

struct ReadingSwitch {
  std::string what;   // "" when nothing switches; else the setting, or the spelling opsbook cannot read
  bool plain = true;  // false: a name opsbook cannot read (UESCAPE, a psql variable, a computed name)
  [[nodiscard]] bool found() const { return !what.empty(); }
};

// In any text (SQL, a command line, a whole snippet): the first switch of how SQL is read.
// Decodes %HH (URIs), backslash escapes (E'', U&"" and U&'', options' `\_`), `"` quotes, case,
// and `-` for `_` (the server reads -c standard-conforming-strings=off so) before matching.
ReadingSwitch sql_reading_switch(std::string_view text);

// The libpq environment of a snippet: PGCLIENTENCODING; PGOPTIONS, unless each value is written
// out; PGSERVICEFILE and PGSYSCONFDIR, whose service file opsbook does not read.
ReadingSwitch libpq_environment_switch(std::string_view text);

// Whether the reading of SQL `text` depends on those settings: a backslash in a '...' string
// (standard_conforming_strings), a byte past ASCII (the client encoding). Code the server builds
// from text (DO ... EXECUTE 'SET standard' || '_conforming_strings = off') can switch them unseen.
bool reads_by_settings(std::string_view text);

// Why a switch makes what runs differ from what opsbook reads, for a safety reason.
std::string reading_reason(const ReadingSwitch& r);

}  // namespace opsbook::model
