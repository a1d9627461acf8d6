// Fence attributes from hostile info strings: bounded in count and read in linear time.
#include <catch2/catch.hpp>

#include <ctime>
#include <string>

#include "model/attributes.hpp"

using namespace opsbook::model;

TEST_CASE("attributes: past 256 an error says the rest are not read, in both syntaxes (hostile review)", "[model][attributes]") {
  std::string kv = "bash {", json = "bash {";
  for (int i = 0; i < 1000; ++i) {
    kv += "k" + std::to_string(i) + "=v ";
    json += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":\"v\"";
  }
  kv += "}";
  json += "}";
  for (const std::string& info : {kv, json}) {
    InfoString parsed = parse_info_string(info);
    CHECK(parsed.attrs.size() == k_max_attributes);
    REQUIRE(parsed.errors.size() == 1);
    CHECK(parsed.errors[0] == "more than 256 attributes: the rest are not read");
  }
}

TEST_CASE("attributes: more than 16 KiB of them are not read at all (hostile review: 100k JSON keys took minutes)", "[model][attributes]") {
  std::string json = "bash {";
  for (int i = 0; i < 100000; ++i) json += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":\"v\"";
  json += "}";
  std::clock_t start = std::clock();
  InfoString parsed = parse_info_string(json);
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  CHECK(parsed.attrs.empty());
  REQUIRE(parsed.errors.size() == 1);
  CHECK(parsed.errors[0] == "attributes longer than 16 KiB: not read");
  CHECK(seconds < 1.0);
}

TEST_CASE("attributes: a long value of many words is read in linear time", "[model][attributes]") {
  std::string words;
  for (int i = 0; i < 3000; ++i) words += "word ";
  std::clock_t start = std::clock();
  InfoString parsed = parse_info_string("bash {name=x title=" + words + "}");
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  REQUIRE(parsed.attrs.size() == 2);
  CHECK(parsed.attrs[1].second.size() == words.size() - 1);
  CHECK(seconds < 1.0);  // generous for sanitizers and a busy machine
  CHECK(parse_info_string("bash {name=x expect-status=200-204, 429 run=auto}").attrs.size() == 3);
}
