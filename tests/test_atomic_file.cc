// AtomicFile: all or nothing, early failure on an unusable destination, and
// the clean-up of temporary files that a killed process left behind.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "common/atomic_file.h"
#include "common/errors.h"
#include "test_util.h"

namespace {

namespace fs = std::filesystem;

int count_temps(const fs::path& dir, const std::string& dest_name) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(dest_name + ".tmp-", 0) == 0) ++n;
  return n;
}

// The PID of a process that has exited (and been reaped): no process runs
// under it now, barring reuse within microseconds.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

}  // namespace

TEST_CASE("AtomicFile writes all or nothing") {
  testutil::TempDir dir;
  const std::string dest = dir.file("out.txt");
  {
    common::AtomicFile f(dest);
    f.write("partial");
    CHECK(count_temps(dir.path(), "out.txt") == 1);
  }  // no commit: nothing appears, the temporary file is gone
  CHECK(!fs::exists(dest));
  CHECK(count_temps(dir.path(), "out.txt") == 0);
  common::AtomicFile f(dest);
  f.write("whole");
  f.commit();
  CHECK(testutil::read_file(dest) == "whole");
  CHECK(count_temps(dir.path(), "out.txt") == 0);
}

TEST_CASE("AtomicFile refuses a directory as its destination before any work") {
  testutil::TempDir dir;
  fs::create_directory(dir.file("vectors.bin"));
  const auto msg = testutil::thrown<common::IoError>([&] { common::AtomicFile f(dir.file("vectors.bin")); });
  CHECK(msg.find("is a directory") != std::string::npos);
  CHECK(count_temps(dir.path(), "vectors.bin") == 0);
  CHECK_THROWS_AS(common::AtomicFile(dir.file("no/such/folder/x.bin")), common::IoError);
}

TEST_CASE("AtomicFile removes temporary files of dead processes, not of live ones") {
  testutil::TempDir dir;
  const std::string dest = dir.file("model.ckpt");
  const std::string stale = dest + ".tmp-" + std::to_string(dead_pid()) + "-abcdef";
  const std::string live = dest + ".tmp-" + std::to_string(::getppid()) + "-ghijkl";  // our parent runs
  const std::string other = dir.file("other.bin") + ".tmp-" + std::to_string(dead_pid()) + "-mnopqr";
  const std::string old_style = dest + ".tmp-XYZ123";  // no PID: not ours to judge
  for (const auto& p : {stale, live, other, old_style}) testutil::write_file(p, "13 MB of checkpoint");
  common::AtomicFile f(dest);
  CHECK(!fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));
  CHECK(fs::exists(old_style));
  f.write("x");
  f.commit();
  CHECK(testutil::read_file(dest) == "x");
}
