// TL_CHECK must stay on in release builds: this file defines NDEBUG itself, so the test holds
// whatever the build type.
#ifndef NDEBUG
#define NDEBUG
#endif

#include "trialledger/base/check.h"

#include <cassert>

#include <gtest/gtest.h>

namespace tl {
namespace {

TEST(CheckDeathTest, FailsUnderNdebugWithFileLineAndCondition) {
  int commit_index = 7;
  int last_index = 5;
  EXPECT_DEATH(TL_CHECK(commit_index <= last_index),
               "check_test.cc:[0-9]+: check failed: commit_index <= last_index");
}

TEST(CheckDeathTest, MessageFollowsTheCondition) {
  EXPECT_DEATH(TL_CHECK_MSG(1 + 1 == 3, "arithmetic"), "check failed: 1 \\+ 1 == 3: arithmetic");
}

TEST(CheckDeathTest, UnreachableSaysWhy) {
  EXPECT_DEATH(TL_UNREACHABLE("every kind is handled"), "unreachable: every kind is handled");
}

TEST(CheckTest, PassingChecksEvaluateTheConditionOnce) {
  int evaluations = 0;
  TL_CHECK(++evaluations == 1);
  TL_CHECK_MSG(++evaluations == 2, "second");
  EXPECT_EQ(evaluations, 2);
}

TEST(CheckTest, AssertIsCompiledOutHereSoTheTestMeansSomething) {
  int evaluations = 0;
  assert(++evaluations == 100);
  EXPECT_EQ(evaluations, 0);
}

}  // namespace
}  // namespace tl
