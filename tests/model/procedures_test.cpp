// Procedures: numbered lists split by fences rejoined, fences under a step, Mitigation bullet
// lists of actions, and lists that describe rather than instruct.
#include <catch2/catch.hpp>

#include "model/procedures.hpp"
#include "support.hpp"

using namespace opsbook::model;

TEST_CASE("procedures: a list continues the procedure when it starts at the next number", "[model][procedures]") {
  ProcedureJoin join;
  CHECK(join.continued_by(3, false) == ProcedureJoin::k_none);
  join.list_ended(4, 1, 2, false);
  CHECK(join.continued_by(3, false) == 4);
  CHECK(join.continued_by(1, false) == ProcedureJoin::k_none);  // a new procedure
  CHECK(join.continued_by(1, true) == ProcedureJoin::k_none);   // "1." after "1." "2.": a new one too
  CHECK(join.continued_by(5, false) == ProcedureJoin::k_none);  // a step is missing
  CHECK(join.fence_owner() == 4);
  join.other_block();
  CHECK(join.fence_owner() == ProcedureJoin::k_none);
  CHECK(join.continued_by(3, false) == 4);  // a paragraph between the parts
  join.heading();
  CHECK(join.continued_by(3, false) == ProcedureJoin::k_none);
}

TEST_CASE("procedures: lists written 1. 1. 1. continue each other", "[model][procedures]") {
  ProcedureJoin join;
  join.list_ended(2, 1, 1, true);
  CHECK(join.continued_by(1, true) == 2);
  join.list_ended(2, 1, 1, true);
  CHECK(join.continued_by(1, true) == 2);
  // Several items, each written "1.": the author numbers lazily, and the next "1." list goes on.
  ProcedureJoin lazy;
  lazy.list_ended(3, 1, 2, true);
  CHECK(lazy.continued_by(1, true) == 3);
  CHECK(lazy.continued_by(1, false) == ProcedureJoin::k_none);  // "1." "2.": a list of its own
  ProcedureJoin two;
  two.list_ended(2, 1, 2, false);
  CHECK(two.continued_by(1, true) == ProcedureJoin::k_none);
}

TEST_CASE("procedures: the parser joins lazily numbered lists split by fences", "[model][procedures][parser]") {
  auto rb = opsbook::test::parse(
      "# Roll out\n\n## Config\n\nIn order to roll out:\n1. prepare an MR\n1. check chef\n```bash\n$ knife status\n```\n"
      "1. stop chef-client\n```bash\n$ knife ssh x 'sudo chef-client-disable'\n```\n1. merge the MR\n1. run chef\n\n"
      "## Other\n\n1. one\n2. two\n```\nx\n```\n1. again\n");
  REQUIRE(rb.checklists.size() == 3);
  CHECK(rb.checklists[0].items.size() == 5);
  CHECK(rb.checklists[0].items[2].line == 11);
  CHECK(rb.checklists[1].items.size() == 2);  // "1." "2." then "1.": two lists
}

TEST_CASE("procedures: actions and descriptions", "[model][procedures]") {
  for (std::string_view yes : {"Drain affected nodes, then upgrade them", "add new nodes with bigger capacity", "Fine tune settings",
                               "Ensure auto cluster updates", "run `sudo lsblk` to see the new space", "Set proper maintenance windows"}) {
    INFO(yes);
    CHECK(is_action_item(yes));
  }
  for (std::string_view no : {"The node is cordoned", "Deleting, expiring or evicting keys", "Your current Slow Log configuration",
                              "Grafana: http://localhost:3000", "Failed jobs pile up", "Kubernetes restarts the pod", "42 nodes", ""}) {
    INFO(no);
    CHECK_FALSE(is_action_item(no));
  }
  CHECK(is_action_list({"Add more nodes", "Use pod priorities", "The autoscaler may help"}));
  CHECK_FALSE(is_action_list({"Add more nodes"}));
  CHECK_FALSE(is_action_list({"Add more nodes", "The autoscaler may help"}));
  CHECK(announces_actions("Mitigation", ""));
  CHECK(announces_actions("How to resolve it", ""));
  CHECK(announces_actions("Migrate data", "In general procedure is like this"));
  CHECK_FALSE(announces_actions("Diagnosis", ""));
  CHECK_FALSE(announces_actions("Prefixes", ""));
  CHECK(announces_description("Symptoms", ""));
  CHECK(announces_description("Overview", "There are two possible causes"));
  CHECK_FALSE(announces_description("Overview", "To confirm the cause of the slow requests"));
  CHECK(announces_description("Overview", "To confirm this is the cause of the slow requests either"));
  CHECK(announces_description("Fix", "Do one of the following"));
  CHECK_FALSE(announces_description("Fix", "Either way, restart the service in this order"));
}

TEST_CASE("procedures: the parser rejoins a list split by a fence and gives the fence to its step", "[model][procedures][parser]") {
  auto rb = opsbook::test::parse(
      "# Web\n\n## Fix\n\n1. Log in: `ssh web-1`\n2. Look at the containers:\n\n```\ndocker ps\n```\n\n"
      "Then the log:\n\n3. Restart: `docker restart web`\n\n## Other\n\n3. Not a continuation\n");
  REQUIRE(rb.checklists.size() == 2);
  const auto& fix = rb.checklists[0];
  REQUIRE(fix.items.size() == 3);
  CHECK(fix.items[2].line == 14);
  CHECK(fix.items[2].id == fix.id + "/3");
  REQUIRE(rb.snippets.size() == 3);
  CHECK(fix.items[1].snippets == std::vector<std::string>{rb.snippets[1].id});
  CHECK(rb.checklists[1].items.size() == 1);
}

TEST_CASE("procedures: Mitigation bullet lists of actions: symptom lists are not procedures", "[model][procedures][parser]") {
  auto rb = opsbook::test::parse(
      "# KubeThing\n\n## Diagnosis\n\n- Check the nodes\n- Check the autoscaler\n\n## Mitigation\n\n"
      "- Add more nodes to the cluster.\n\n- Use pod priorities, see [docs](https://example.com/p)\n\n"
      "## Symptoms\n\n1. HAProxy is missing workers\n2. Nodes are missing roles\n\n## Notes\n\n"
      "- The pool is shared\n- Restarts are rare\n");
  REQUIRE(rb.checklists.size() == 1);
  CHECK(rb.checklists[0].title == "Mitigation");
  REQUIRE(rb.checklists[0].items.size() == 2);
  CHECK(rb.checklists[0].items[0].line == 10);
  CHECK(rb.checklists[0].items[1].line == 12);
}

TEST_CASE("procedures: numbered lists that state things are not procedures", "[model][procedures]") {
  CHECK(describes({"We extend how long a Pod waits until it is killed", "We enable long polling"}));
  CHECK(describes({"there's a problem with docker-machine creating machine,", "there's a problem with docker-engine on machine,",
                   "there's a problem with connectivity from docker-machine."}));
  CHECK(describes({"0 - `started`", "1 - `finished`", "2 - `failed`"}));
  // Steps that open with their condition, their place or a command are still steps.
  CHECK_FALSE(describes({"If a reporting query is blocking the SQL thread, kill it: `KILL 81723;`",
                         "If the applier is single threaded, raise parallel workers:"}));
  CHECK_FALSE(describes({"On the consul server `consul leave`", "`gcloud compute instances list`", "Restart the service"}));
  CHECK_FALSE(describes({"Restart gitlab-pages"}));  // one item says too little
}

TEST_CASE("procedures: questions, field definitions and sentences with an auxiliary state things", "[model][procedures]") {
  CHECK(describes({"Are we down, degraded, how concerned should we be?", "Are we in S1 / all hands on deck?"}));
  CHECK(describes({"What alerts are going off? Prometheus gprd", "How does do these dashboards look?"}));
  CHECK(describes({"success (Boolean): true if we consider the query a success.", "status (String): The status code of the request",
                   "message (String): The message associated with the status"}));
  CHECK(describes({"Any underlying reason why they have failed was temporary", "Retrying them is known to be safe/idempotent"}));
  CHECK(describes({"Data is replicated to two zones", "Backups run nightly", "Restores take an hour"}));
  CHECK(describes({"The components being upgraded.", "Any breaking changes from the release notes.", "Any significant features."}));
  // Steps stay steps: a '?' inside a URL or after the instruction, "Do not ...", a step with a parenthesis.
  CHECK_FALSE(describes({"Go to https://crt.sh/?q=*.example.net and copy the ID", "Open http://localhost:8080/a?b=1"}));
  CHECK_FALSE(describes({"Check the logs. Is the error still there?", "Restart the worker (it takes a minute): `sv restart w`"}));
  CHECK_FALSE(describes({"Do not restart the primary", "Do shutdown", "Wait for the replicas"}));
  CHECK(is_action_item("Do not restart the primary"));
  CHECK_FALSE(is_action_item("Any breaking changes"));
  CHECK_FALSE(is_action_item("Both nodes restarted"));
}

TEST_CASE("procedures: a run-in lead-in that names what the list holds", "[model][procedures][parser]") {
  auto rb = opsbook::test::parse(
      "# Thanos\n\n## Compaction\n\nThe rest of the message is hard to read, but the interesting facts are\n\n"
      "1. Look at the identifier of the source\n1. Copy the chunk names\n\n"
      "## Fix\n\nThe chunks are lost. Then\n\n1. Stop the compactor\n1. Delete the chunks\n");
  REQUIRE(rb.checklists.size() == 1);
  CHECK(rb.checklists[0].section == "fix");
}
