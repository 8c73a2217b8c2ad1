#pragma once
// Seeded random numbers. The same seed gives the same run: every consumer (init, dropout,
// shuffling, noise) draws from its own Rng derived from the run seed with a fixed salt.
#include <cstdint>
#include <random>

namespace netloom::engine {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) : m_gen(seed) {}
    Rng derive(uint64_t salt) const { return Rng(mix(m_seedState() ^ salt)); }

    float uniform(float lo = 0.0f, float hi = 1.0f) {
        return std::uniform_real_distribution<float>(lo, hi)(m_gen);
    }
    float normal(float mean = 0.0f, float stddev = 1.0f) {
        return std::normal_distribution<float>(mean, stddev)(m_gen);
    }
    uint64_t next() { return m_gen(); }
    std::mt19937_64& generator() { return m_gen; }

    static uint64_t mix(uint64_t x) {  // splitmix64 finaliser
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    }

private:
    uint64_t m_seedState() const {
        std::mt19937_64 copy = m_gen;
        return copy();
    }
    std::mt19937_64 m_gen;
};

}  // namespace netloom::engine
