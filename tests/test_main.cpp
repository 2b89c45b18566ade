// SPDX-License-Identifier: MIT
// Catch2 entry point for the test executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
