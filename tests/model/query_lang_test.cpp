// PromQL/LogQL recognised by shape, spans over several lines, and the light syntax check.
#include <catch2/catch.hpp>

#include "model/query_lang.hpp"

using namespace opsbook::model;

TEST_CASE("queries: PromQL by shape", "[model][query]") {
  for (std::string_view q : {"up{job=\"node\"} == 0", "rate(http_requests_total[5m])", "sum by (job) (rate(x_total[5m]))",
                             "histogram_quantile(0.99, sum(rate(grpc_server_handling_seconds_bucket{job=~\".*etcd.*\"}[5m])) without(grpc_type))",
                             "(etcd_mvcc_db_total_size_in_bytes / etcd_server_quota_backend_bytes) * 100", "100 * sum without(grpc_type, grpc_code)",
                             "kube_pod_container_status_restarts_total[10m]", "node_load1 > 2", "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
                             "up == 0", "topk(10,"}) {
    INFO(q);
    CHECK(detect_query(q) == QueryLang::promql);
  }
}

TEST_CASE("queries: LogQL by shape", "[model][query]") {
  CHECK(detect_query("{app=\"nginx\"} |= \"error\"") == QueryLang::logql);
  CHECK(detect_query("{namespace=\"prod\", container=~\"api.*\"}") == QueryLang::logql);
  CHECK(detect_query("count_over_time({app=\"nginx\"}[5m])") == QueryLang::logql);
}

TEST_CASE("queries: log search filters by shape", "[model][query]") {
  for (std::string_view q : {"curl AND \"gitlab-pages\"", "\"gitlab-pages\" AND 404 AND \"https://pages.gitlab.io\"",
                             "json.status:500 OR json.status:502", "(error OR fatal) AND NOT json.path:/healthz",
                             "resource.type=\"gce_instance\"", "protoPayload.methodName=\"compute.instances.hostError\"",
                             "jsonPayload.message=~\"timeout.*\"", "labels.\"k8s-pod/app\"!=\"web\""}) {
    INFO(q);
    CHECK(detect_query(q) == QueryLang::search);
  }
  for (std::string_view no : {"net.ipv4.ip_forward=1", "spring.datasource.url=jdbc:postgresql://db/app", "FOO=\"bar\"",
                              "kubectl get pods AND", "AND then", "grep -c AND file", "echo \"a\" && echo b", "x.y=\"a\" b",
                              "WHERE active = true AND deleted = false", "a AND \"unclosed"}) {
    INFO(no);
    CHECK(detect_query(no) == QueryLang::none);
  }
  // The lines of a Cloud Logging filter are one query.
  std::vector<std::string_view> lines = {"resource.type=\"gce_instance\"", "protoPayload.methodName=\"automaticRestart\"", "",
                                         "protoPayload.methodName=\"delete\""};
  auto spans = query_spans(lines, false);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].last == 1);
  CHECK(spans[0].lang == QueryLang::search);
  CHECK(spans[1].first == 3);
}

TEST_CASE("queries: shell commands, JSON and metrics output are not queries", "[model][query]") {
  for (std::string_view s : {"kubectl get pods -o jsonpath='{.items[0].metadata.name}'", "curl -s 'http://prom:9090/api/v1/query?query=up{job=\"x\"}'",
                             "sidekiq_queue_size{name=\"system_hook\"} 0", "http_requests_total{status=\"200\"} 402 1700000000", "{\"status\": \"ok\"}",
                             "echo $(date)", "my_script > out.txt", "docker ps", "sum of the values"}) {
    INFO(s);
    CHECK(detect_query(s) == QueryLang::none);
  }
}

TEST_CASE("queries: an expression over several lines is one", "[model][query]") {
  std::vector<std::string_view> lines = {"topk(10,", "  sum by (queryid) (", "    rate(pg_stat_statements_seconds_total[1m])", "  )", ")", "",
                                         "up == 0", "100 * sum without(grpc_type, grpc_code)", "(rate(grpc_server_handled_total[5m])) > 5"};
  auto spans = query_spans(lines, false);
  REQUIRE(spans.size() == 3);
  CHECK(spans[0].first == 0);
  CHECK(spans[0].last == 4);
  CHECK(spans[1].first == 6);
  CHECK(spans[1].last == 6);
  CHECK(spans[2].first == 7);
  CHECK(spans[2].last == 8);
}

TEST_CASE("queries: light syntax check", "[model][query]") {
  CHECK(check_query("sum(rate(x_total{job=\"a\"}[5m]))").empty());
  CHECK(check_query("rate(x_total[$__rate_interval])").empty());
  CHECK(check_query("max_over_time(x[1h:5m])").empty());
  auto open = check_query("sum(rate(x_total[5m])");
  REQUIRE(open.size() == 1);
  CHECK(open[0].offset == 3);
  CHECK(open[0].message == "'(' is never closed");
  auto bad_range = check_query("rate(x_total[5])");
  REQUIRE(bad_range.size() == 1);
  CHECK(bad_range[0].message == "range '[5]' is not a duration");
  CHECK(bad_range[0].offset == 12);
  auto stray = check_query("rate(x_total[5m]))");
  REQUIRE(stray.size() == 1);
  CHECK(stray[0].message == "')' closes nothing");
  auto quote = check_query("up{job=\"a}");
  REQUIRE(quote.size() == 1);
  CHECK(quote[0].message == "string opened with \" is never closed");
}
