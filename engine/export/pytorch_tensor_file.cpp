#include "engine/export/pytorch_tensor_file.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include "engine/core/error.h"

namespace netloom::engine {
namespace {

constexpr char kMagic[8] = {'N', 'L', 'T', 'E', 'N', 'S', 'O', 'R'};
constexpr uint64_t kMaxHeader = 64ull << 20;  // a header this large is a corrupt length field

uint64_t readLe64(const unsigned char* b) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
    return v;
}

void writeLe64(std::ostream& out, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    out.write(reinterpret_cast<const char*>(b), 8);
}

}  // namespace

const Tensor* TensorFile::find(const std::string& name) const {
    for (const auto& [n, t] : tensors)
        if (n == name) return &t;
    return nullptr;
}

void writeTensorFile(const std::string& path, const TensorFile& file) {
    nlohmann::json index = nlohmann::json::array();
    uint64_t offset = 0;
    for (const auto& [name, t] : file.tensors) {
        index.push_back({{"name", name}, {"shape", t.dims()}, {"offset", offset}});
        offset += static_cast<uint64_t>(t.size()) * 4;
    }
    const std::string header = nlohmann::json{
        {"format", "netloom-tensors"},
        {"version", 1},
        {"meta", file.meta},
        {"tensors", index}}.dump();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write the tensor file");
    out.write(kMagic, 8);
    writeLe64(out, header.size());
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    static_assert(std::numeric_limits<float>::is_iec559, "float32 data is written as is");
    for (const auto& [name, t] : file.tensors)  // x86 and ARM are little-endian
        out.write(reinterpret_cast<const char*>(t.data()),
                  static_cast<std::streamsize>(t.size() * 4));
    if (!out.flush()) throw Error(path + ": writing the tensor file failed (disk full?)");
}

TensorFile readTensorFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the weights file");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto fail = [&](const std::string& why) -> Error { return Error(path + ": " + why); };
    if (bytes.size() < 16 || std::memcmp(bytes.data(), kMagic, 8) != 0)
        throw fail(
            "not a NetLoom tensor file (it should start with \"NLTENSOR\"; write it with "
            "the exported model.py or `netloom export --pytorch`)");
    const uint64_t headerSize = readLe64(reinterpret_cast<const unsigned char*>(bytes.data() + 8));
    if (headerSize > kMaxHeader || headerSize > bytes.size() - 16)
        throw fail("truncated or corrupt: the header says " + std::to_string(headerSize) +
                   " bytes but the file has " + std::to_string(bytes.size() - 16) + " after it");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(
            bytes.begin() + 16, bytes.begin() + 16 + static_cast<std::ptrdiff_t>(headerSize));
    } catch (const std::exception& e) {
        throw fail(std::string("corrupt header (not JSON): ") + e.what());
    }
    if (!header.is_object() || header.value("format", "") != "netloom-tensors")
        throw fail("corrupt header: format is not \"netloom-tensors\"");
    if (!header.contains("version") || !header["version"].is_number_integer() ||
        header["version"].get<int64_t>() != 1)
        throw fail("tensor file version " + header.value("version", nlohmann::json()).dump() +
                   " is not supported (this NetLoom reads version 1)");
    if (!header.contains("tensors") || !header["tensors"].is_array())
        throw fail("corrupt header: no \"tensors\" list");

    const uint64_t dataStart = 16 + headerSize;
    const uint64_t dataSize = bytes.size() - dataStart;
    TensorFile file;
    if (header.contains("meta") && header["meta"].is_object()) file.meta = header["meta"];
    std::set<std::string> seen;
    for (size_t i = 0; i < header["tensors"].size(); ++i) {
        const nlohmann::json& e = header["tensors"][i];
        const std::string where = "tensor " + std::to_string(i + 1);
        if (!e.is_object() || !e.contains("name") || !e["name"].is_string() ||
            e["name"].get<std::string>().empty())
            throw fail(where + " has no name");
        const std::string name = e["name"].get<std::string>();
        if (!seen.insert(name).second) throw fail("tensor '" + name + "' appears twice");
        if (!e.contains("shape") || !e["shape"].is_array())
            throw fail("tensor '" + name + "' has no shape");
        std::vector<int64_t> dims;
        uint64_t count = 1;
        for (const auto& d : e["shape"]) {
            if (!d.is_number_integer() || d.get<int64_t>() < 0)
                throw fail("tensor '" + name + "' has a bad shape " + e["shape"].dump());
            dims.push_back(d.get<int64_t>());
            if (dims.back() > 0 && count > dataSize / static_cast<uint64_t>(dims.back()))
                throw fail("tensor '" + name + "' of shape " + e["shape"].dump() +
                           " is larger than the file's data");
            count *= static_cast<uint64_t>(dims.back());
        }
        if (!e.contains("offset") || !e["offset"].is_number_unsigned())
            throw fail("tensor '" + name + "' has no offset");
        const uint64_t offset = e["offset"].get<uint64_t>();
        if (offset > dataSize || count * 4 > dataSize - offset)
            throw fail("truncated: tensor '" + name + "' (" + std::to_string(count) +
                       " values at byte " + std::to_string(offset) + ") runs past the end of the " +
                       "data (" + std::to_string(dataSize) + " bytes)");
        Tensor t(dims);
        if (dims.empty()) t.resize({1});  // a scalar is stored as one value
        std::memcpy(t.data(), bytes.data() + dataStart + offset, count * 4);
        file.tensors.emplace_back(name, std::move(t));
    }
    return file;
}

}  // namespace netloom::engine
