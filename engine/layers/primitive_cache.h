#pragma once
// The oneDNN primitives (and memory objects) of one layer for each shape it has run with. A layer
// selects the entry for the current shape in prepare() (building it the first time) and uses it
// in forward/backward; switching back to a seen batch size costs a map lookup, not a rebuild.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace netloom::engine {

template <typename Prims>
class PrimitiveCache {
public:
    // Makes the entry for `shape` (usually {batch}) current; `build()` creates it when missing.
    template <typename Build>
    Prims& select(const std::vector<int64_t>& shape, Build&& build) {
        auto it = m_entries.find(shape);
        if (it == m_entries.end()) it = m_entries.emplace(shape, build()).first;
        m_current = &it->second;
        return *m_current;
    }

    // The entry of the last select(); only valid after one.
    Prims& operator*() { return *m_current; }
    Prims* operator->() { return m_current; }
    // The entry of the last select(), or nullptr before the first.
    const Prims* current() const { return m_current; }

private:
    std::map<std::vector<int64_t>, Prims> m_entries;
    Prims* m_current = nullptr;  // std::map nodes are stable
};

}  // namespace netloom::engine
