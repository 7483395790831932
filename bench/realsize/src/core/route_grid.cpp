// Dijkstra's shortest paths on a side x side grid whose edge weights come from a terrain map, from several
// sources, with a hand-written binary heap (decrease-key by lazy deletion). Unpredictable branches and
// short loops: it responds to inlining, branch layout and if-conversion more than to vectorization.
#include "kernels.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace core {

namespace {

struct HeapItem {
    std::uint32_t distance;
    std::uint32_t node;
};

class MinHeap {
public:
    void push(HeapItem item) {
        items_.push_back(item);
        std::size_t i = items_.size() - 1;
        while (i > 0) {
            std::size_t parent = (i - 1) / 2;
            if (!less(items_[i], items_[parent])) break;
            std::swap(items_[i], items_[parent]);
            i = parent;
        }
    }
    HeapItem pop() {
        HeapItem top = items_.front();
        items_.front() = items_.back();
        items_.pop_back();
        std::size_t i = 0;
        for (;;) {
            std::size_t left = 2 * i + 1, right = left + 1, best = i;
            if (left < items_.size() && less(items_[left], items_[best])) best = left;
            if (right < items_.size() && less(items_[right], items_[best])) best = right;
            if (best == i) break;
            std::swap(items_[i], items_[best]);
            i = best;
        }
        return top;
    }
    bool empty() const { return items_.empty(); }

private:
    static bool less(const HeapItem& a, const HeapItem& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.node < b.node;
    }
    std::vector<HeapItem> items_;
};

}  // namespace

std::uint64_t route_grid(int side, int sources) {
    const std::uint32_t n = static_cast<std::uint32_t>(side) * static_cast<std::uint32_t>(side);
    std::vector<std::uint8_t> terrain(n);
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    for (auto& t : terrain) {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        t = static_cast<std::uint8_t>(1 + (state >> 58) + ((state & 0xFF) == 0 ? 60 : 0));  // rare walls
    }
    std::vector<std::uint32_t> distance(n);
    std::uint64_t checksum = 0;
    MinHeap heap;
    for (int s = 0; s < sources; ++s) {
        std::uint32_t source = static_cast<std::uint32_t>((static_cast<std::uint64_t>(s) * 2654435761u) % n);
        std::fill(distance.begin(), distance.end(), std::numeric_limits<std::uint32_t>::max());
        distance[source] = 0;
        heap.push({0, source});
        while (!heap.empty()) {
            HeapItem item = heap.pop();
            if (item.distance != distance[item.node]) continue;  // a stale entry
            std::uint32_t row = item.node / side, col = item.node % side;
            const std::uint32_t neighbours[4] = {
                row > 0 ? item.node - side : item.node,
                row + 1 < static_cast<std::uint32_t>(side) ? item.node + side : item.node,
                col > 0 ? item.node - 1 : item.node,
                col + 1 < static_cast<std::uint32_t>(side) ? item.node + 1 : item.node,
            };
            for (std::uint32_t next : neighbours) {
                if (next == item.node) continue;
                std::uint32_t candidate = item.distance + terrain[next];
                if (candidate < distance[next]) {
                    distance[next] = candidate;
                    heap.push({candidate, next});
                }
            }
        }
        std::uint64_t fold = 0;
        for (std::uint32_t i = 0; i < n; i += 7) fold = fold * 1000003u + distance[i];
        checksum ^= fold + static_cast<std::uint64_t>(s);
    }
    return checksum;
}

}  // namespace core
