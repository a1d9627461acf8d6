// model/numbers: the whole text is the number, finite and in range, or it is refused.
#include <catch2/catch.hpp>

#include <chrono>

#include "model/numbers.hpp"

using namespace opsbook;
using std::chrono::milliseconds;

TEST_CASE("integers: whole text, in range", "[model][numbers]") {
  CHECK(model::parse_integer("0", 0, 255) == 0);
  CHECK(model::parse_integer(" 255 ", 0, 255) == 255);
  for (const char* bad : {"", "256", "-1", "1.0", "1e2", "0x10", "+1", "99999999999999999999999", "inf", "nan", "1 2", "7a"}) {
    INFO(bad);
    CHECK_FALSE(model::parse_integer(bad, 0, 255));
  }
}

TEST_CASE("durations: finite, positive, at most the bound: inf and overflow refused", "[model][numbers]") {
  const milliseconds day = std::chrono::hours(24);
  CHECK(model::parse_duration("30", day) == milliseconds(30000));
  CHECK(model::parse_duration("1.5s", day) == milliseconds(1500));
  CHECK(model::parse_duration("500ms", day) == milliseconds(500));
  CHECK(model::parse_duration("5m", day) == milliseconds(300000));
  CHECK(model::parse_duration("24h", day) == day);
  CHECK(model::parse_duration("1d", day) == day);
  CHECK(model::parse_duration("0.5d", day) == std::chrono::hours(12));
  for (const char* bad : {"", "0", "-1", "inf", "infs", "nan", "1e400", "25h", "1e12h", "s", "5 m", "1,5s", "0x10", "2d", "d", "7 d", "1dd"}) {
    INFO(bad);
    CHECK_FALSE(model::parse_duration(bad, day));
  }
  CHECK_FALSE(model::seconds_to_duration(std::numeric_limits<double>::infinity(), day));
  CHECK_FALSE(model::seconds_to_duration(std::numeric_limits<double>::quiet_NaN(), day));
  CHECK_FALSE(model::seconds_to_duration(1e300, day));
  CHECK_FALSE(model::seconds_to_duration(-2, day));
  CHECK(model::seconds_to_duration(0.0001, day) == milliseconds(1));
}
