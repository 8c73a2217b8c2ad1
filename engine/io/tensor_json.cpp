#include "engine/io/tensor_json.h"

#include <zlib.h>

#include <bit>
#include <utility>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/base64.h"
#include "engine/io/json_blobs.h"

namespace netloom::engine {
namespace {

// Project files store float32 little-endian. On a little-endian host (every platform NetLoom
// targets) the tensor's own bytes are the file's bytes; elsewhere they are swapped in place.
constexpr bool kHostIsLittleEndian = std::endian::native == std::endian::little;

void swapBytes4(uint8_t* p, size_t bytes) {
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        std::swap(p[i], p[i + 3]);
        std::swap(p[i + 1], p[i + 2]);
    }
}

std::string dimsText(const std::vector<int64_t>& dims) {
    std::string s = "[";
    for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

}  // namespace

uint32_t crc32Of(const uint8_t* data, size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed large buffers in chunks.
    constexpr size_t kChunk = size_t{1} << 30;
    while (size > 0) {
        size_t n = size < kChunk ? size : kChunk;
        crc = crc32(crc, data, static_cast<uInt>(n));
        data += n;
        size -= n;
    }
    return static_cast<uint32_t>(crc);
}

nlohmann::ordered_json tensorToJson(const Tensor& tensor, const std::string& what,
                                    std::vector<std::string>* blobs) {
    const auto& dims = tensor.dims();
    if (static_cast<int>(dims.size()) > kMaxTensorRank)
        throw Error(what + ": has " + std::to_string(dims.size()) + " dimensions; at most " +
                    std::to_string(kMaxTensorRank) + " can be saved");
    int64_t count = 1;
    for (int64_t d : dims) {
        if (d <= 0) throw Error(what + ": shape " + dimsText(dims) + " has an empty dimension");
        count *= d;
        if (count > kMaxTensorElements)
            throw Error(what + ": shape " + dimsText(dims) + " has more than " +
                        std::to_string(kMaxTensorElements) + " elements");
    }
    if (tensor.size() != count)  // a default-constructed Tensor: rank 0 but no element
        throw Error(what + ": tensor is empty");

    const size_t size = static_cast<size_t>(count) * 4;
    const auto* bytes = reinterpret_cast<const uint8_t*>(tensor.data());
    std::vector<uint8_t> swapped;  // only on big-endian hosts
    if constexpr (!kHostIsLittleEndian) {
        swapped.assign(bytes, bytes + size);
        swapBytes4(swapped.data(), size);
        bytes = swapped.data();
    }
    nlohmann::ordered_json j;
    j["shape"] = dims;
    j["dtype"] = "f32";
    j["crc32"] = crc32Of(bytes, size);
    if (blobs) {
        j["data"] = blobPlaceholder(blobs->size());
        blobs->push_back(base64Encode(bytes, size));
    } else {
        j["data"] = base64Encode(bytes, size);
    }
    return j;
}

Tensor tensorFromJson(const JsonCursor& c) {
    c.expectObject();
    if (auto dtype = c.find("dtype")) {
        std::string t = dtype->asString();
        if (t != "f32") dtype->fail("unsupported dtype \"" + t + "\" (only \"f32\" is supported)");
    }

    // Shape first: everything after is sized by it.
    JsonCursor shapeC = c.member("shape");
    std::vector<JsonCursor> dimsC = shapeC.elements();
    if (static_cast<int>(dimsC.size()) > kMaxTensorRank)
        shapeC.fail("has " + std::to_string(dimsC.size()) + " dimensions; at most " +
                    std::to_string(kMaxTensorRank) + " are supported");
    std::vector<int64_t> dims;
    int64_t count = 1;
    for (const JsonCursor& d : dimsC) {
        int64_t v = d.asInt(1, kMaxTensorElements);
        dims.push_back(v);
        count *= v;  // both factors ≤ 2^28: no overflow before the check
        if (count > kMaxTensorElements)
            shapeC.fail("is too large: more than " + std::to_string(kMaxTensorElements) +
                        " elements");
    }

    JsonCursor dataC = c.member("data");
    const std::string_view text = dataC.asStringView();
    const size_t bytesNeeded = static_cast<size_t>(count) * 4;
    const size_t expected = base64EncodedLength(bytesNeeded);
    if (text.size() != expected)
        dataC.fail("holds " + std::to_string(text.size()) + " base64 characters but shape " +
                   dimsText(dims) + " (" + std::to_string(count) + " float32 values) needs " +
                   std::to_string(expected));

    if (base64DecodedLength(text) != bytesNeeded)  // padding can shorten the decoded length
        dataC.fail("decodes to " + std::to_string(base64DecodedLength(text)) + " bytes but shape " +
                   dimsText(dims) + " needs " + std::to_string(bytesNeeded));

    // The text's length matches the shape, so allocating for the shape is now justified.
    Tensor t(dims);
    auto* bytes = reinterpret_cast<uint8_t*>(t.data());
    std::string reason = base64Decode(text, bytes, bytesNeeded);
    if (!reason.empty()) dataC.fail("invalid base64: " + reason);

    if (auto crcC = c.find("crc32")) {
        auto stored = static_cast<uint32_t>(crcC->asInt(0, 0xffffffffLL));
        uint32_t actual = crc32Of(bytes, bytesNeeded);
        if (stored != actual)
            crcC->fail("checksum mismatch (stored " + std::to_string(stored) + ", data has " +
                       std::to_string(actual) + "): the weights are damaged");
    }
    if constexpr (!kHostIsLittleEndian) swapBytes4(bytes, bytesNeeded);
    return t;
}

}  // namespace netloom::engine
