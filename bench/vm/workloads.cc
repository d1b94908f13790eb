#include "workloads.h"

namespace tl::vm::bench {

const std::vector<Workload>& Workloads() {
  static const std::vector<Workload> workloads = {
      {"integer_loop", R"(
.func run n:int -> int
.reg i:int s:int
  jle n i done
loop:
  add s s i
  addi i i 1
  jlt i n loop
done:
  ret s
.end
.entry run run
)",
       R"(
local n, s = N, 0
for i = 0, n - 1 do s = s + i end
return s
)",
       5'000'000, true},
      {"calls", R"(
.func run n:int -> int
.reg s:int i:int
  jle n i done
loop:
  call s add s
  addi i i 1
  jlt i n loop
done:
  ret s
.end
.func add a:int b:int -> int
  add a a b
  ret a
.end
.entry run run
)",
       R"(
local function add(a, b) return a + b end
local n, s = N, 0
for i = 0, n - 1 do s = add(s, i) end
return s
)",
       2'000'000, true},
      {"money", R"(
.func run n:int -> int
.reg i:int total:money price:money q:rational part:money out:int
  loadk price USD:123456789
  loadk q 2/3
  loadk total USD:0
  jle n i done
loop:
  mmulr.half_up part price q
  madd total total part
  addi i i 1
  jlt i n loop
done:
  mamount out total
  ret out
.end
.entry run run
)",
       R"(
local n, price, total = N, 123456789, 0
for i = 0, n - 1 do
  local part = (price * 2 * 2 + 3) // (3 * 2)
  total = total + part
end
return total
)",
       500'000, false},
      {"map_access", R"(
.func run n:int -> int
.reg m:map i:int k:int v:int s:int size:int
  loadi size 1000
fill:
  mapput m i i
  addi i i 1
  jlt i size fill
  loadi i 0
  jle n i done
loop:
  rem k i size
  mapget v m k
  add s s v
  addi i i 1
  jlt i n loop
done:
  ret s
.end
.entry run run
)",
       R"(
local n, size, t, s = N, 1000, {}, 0
for i = 0, size - 1 do t[i] = i end
for i = 0, n - 1 do s = s + t[i % size] end
return s
)",
       1'000'000, true},
  };
  return workloads;
}

}  // namespace tl::vm::bench
