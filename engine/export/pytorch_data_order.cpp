#include "engine/export/pytorch_data_order.h"

#include "engine/core/rng.h"
#include "engine/data/batch_source.h"
#include "engine/export/pytorch_tensor_file.h"

namespace netloom::engine {
namespace {

// The seed engine/train/supervised_recipe.cpp and engine/tasks/sequence_generation_recipe.cpp
// give their EpochOrder (test_pytorch_export_order checks the script's steps against NetLoom's).
uint64_t orderSeed(uint64_t runSeed) {
    return Rng::mix(runSeed ^ 0x5eed);
}

constexpr int64_t kMaxEntries = int64_t{1} << 24;

}  // namespace

bool writeDataOrder(const std::string& path, int64_t count, int64_t epochs, uint64_t seed) {
    if (count <= 0 || epochs <= 0 || count >= kMaxEntries || epochs > kMaxEntries / count)
        return false;
    EpochOrder order(count, orderSeed(seed));
    Tensor t({epochs, count});
    for (int64_t e = 0; e < epochs; ++e) {
        const std::vector<int64_t>& perm = order.next();
        for (int64_t i = 0; i < count; ++i)
            t[e * count + i] = static_cast<float>(perm[static_cast<size_t>(i)]);
    }
    TensorFile file;
    file.meta = {{"count", count}, {"epochs", epochs}, {"seed", seed}};
    file.tensors.emplace_back("order", std::move(t));
    writeTensorFile(path, file);
    return true;
}

}  // namespace netloom::engine
