// The partition tests' main: the process moves into a network namespace of its own before
// GoogleTest or gRPC start a thread, so the lab's bridge and rules never touch the machine's
// network. Without root or namespaces the tests skip, saying why.
#include <gtest/gtest.h>

#include "netns_lab.h"

int main(int argc, char** argv) {
  (void)tl::testing::EnterPrivateNetwork();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
