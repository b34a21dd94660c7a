#include "stackfit/observe/kube_pod_owner.hpp"

#include <gtest/gtest.h>

namespace stackfit {
namespace {

void expect_owner(const std::string& pod, const std::string& kind, const std::string& name) {
  GuessedPodOwner owner = guess_pod_owner(pod);
  EXPECT_EQ(owner.kind, kind) << pod;
  EXPECT_EQ(owner.name, name) << pod;
}

TEST(KubePodOwner, ControllerPatterns) {
  expect_owner("web-7d4b9c8f6d-x2k9p", "Deployment", "web");
  expect_owner("my-api-server-5d9f8b7c6-bx7lq", "Deployment", "my-api-server");
  expect_owner("backup-28934460-zq4xv", "CronJob", "backup");
  expect_owner("node-exporter-x7k2p", "controller", "node-exporter");
  expect_owner("postgres-0", "StatefulSet", "postgres");
  expect_owner("kafka-broker-12", "StatefulSet", "kafka-broker");
}

TEST(KubePodOwner, WhatTheNameCannotTellStaysThePod) {
  expect_owner("kube-apiserver-node1", "Pod", "kube-apiserver-node1");  // a static pod: "<name>-<node>"
  expect_owner("debug", "Pod", "debug");
  expect_owner("web-", "Pod", "web-");
  expect_owner("-x2k9p", "Pod", "-x2k9p");
  expect_owner("web-01", "Pod", "web-01");        // an ordinal has no leading zero
  expect_owner("web-abcde", "Pod", "web-abcde");  // vowels are not in the generated alphabet
  expect_owner("", "Pod", "");
}

}  // namespace
}  // namespace stackfit
