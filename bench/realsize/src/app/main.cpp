// realsize: a benchmark of plausible size. Thirty generated record modules (src/records: parsing,
// validation, grouping, JSON) run once per run and are cold; three kernels (src/core) take the time.
// Prints "checksum <n>". Usage: realsize [scale]   (default 4: the kernels' repetitions)
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "../core/kernels.hpp"
#include "../records/all_records.hpp"

int main(int argc, char** argv) {
    long scale = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 4;
    if (scale < 1 || scale > 1000) {
        std::fprintf(stderr, "usage: realsize [scale 1-1000]\n");
        return 2;
    }
    std::uint64_t checksum = 0;
    std::uint64_t seed = 1;
    for (auto run : records::kModules) checksum = checksum * 1000003u + run(seed++, 400);
    for (long round = 0; round < scale; ++round) {
        checksum = checksum * 31 + core::relax_poisson(300, 60);
        checksum = checksum * 31 + core::solve_sparse(220, 60);
        checksum = checksum * 31 + core::route_grid(300, 2);
    }
    std::printf("checksum %llu\n", static_cast<unsigned long long>(checksum));
    return 0;
}
