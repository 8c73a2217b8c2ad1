#include "engine/data/idx_reader.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include "engine/core/error.h"

namespace netloom::engine {

std::string withThousands(int64_t value) {
    // Magnitude as unsigned, so INT64_MIN is fine too.
    uint64_t magnitude = value < 0 ? uint64_t(-(value + 1)) + 1 : uint64_t(value);
    std::string digits = std::to_string(magnitude);
    std::string out;
    int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += ',';
        out += digits[static_cast<size_t>(i)];
    }
    return value < 0 ? "-" + out : out;
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw Error(path + ": " + problem);
}

std::string hexByte(uint8_t b) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", b);
    return buf;
}

// The bytes of a file, inflated on the fly when it is gzip-compressed. read() returns fewer
// bytes than asked only at the end of the data; end() then says how the data ended.
class ByteSource {
public:
    enum class End { Clean, TruncatedGzip, TrailingAfterGzip };

    explicit ByteSource(const std::string& path) : m_path(path) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            fail(path, std::string("cannot open: ") + std::strerror(errno));
        if (!S_ISREG(st.st_mode)) fail(path, "is not a regular file");
        m_fileSize = static_cast<int64_t>(st.st_size);
        m_file.reset(std::fopen(path.c_str(), "rb"));
        if (!m_file) fail(path, std::string("cannot open: ") + std::strerror(errno));
        uint8_t head[2] = {0, 0};
        size_t got = std::fread(head, 1, 2, m_file.get());
        checkReadError();
        m_gzip = got == 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (m_gzip) {
            m_in.resize(1 << 16);
            m_in[0] = head[0];
            m_in[1] = head[1];
            m_z.next_in = m_in.data();
            m_z.avail_in = 2;
            if (inflateInit2(&m_z, 16 + MAX_WBITS) != Z_OK)
                fail(path, "cannot start gzip decompression (out of memory?)");
            m_zReady = true;
        } else if (std::fseek(m_file.get(), 0, SEEK_SET) != 0) {
            // Plain file: the peeked bytes are read again from the start.
            fail(path, std::string("cannot seek: ") + std::strerror(errno));
        }
    }
    ~ByteSource() {
        if (m_zReady) inflateEnd(&m_z);
    }
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    bool isGzip() const { return m_gzip; }
    int64_t fileSize() const { return m_fileSize; }
    End end() const { return m_end; }

    size_t read(uint8_t* dst, size_t n) {
        if (!m_gzip) {
            size_t got = std::fread(dst, 1, n, m_file.get());
            checkReadError();
            return got;
        }
        size_t got = 0;
        while (got < n && !m_finished) {
            if (m_z.avail_in == 0 && !m_inEof) refill();
            if (m_streamEnd) {
                // Between gzip members: another member may follow (concatenated gzip files).
                if (m_z.avail_in == 0) {
                    m_finished = true;  // refill() found the end of the file
                    break;
                }
                if (m_z.next_in[0] != 0x1f) {
                    m_end = End::TrailingAfterGzip;
                    m_finished = true;
                    break;
                }
                inflateReset(&m_z);
                m_streamEnd = false;
                continue;
            }
            size_t want = std::min(n - got, size_t{UINT_MAX});
            m_z.next_out = dst + got;
            m_z.avail_out = static_cast<unsigned>(want);
            int ret = inflate(&m_z, Z_NO_FLUSH);
            got += want - m_z.avail_out;
            if (ret == Z_STREAM_END) {
                m_streamEnd = true;
            } else if (ret == Z_BUF_ERROR || (ret == Z_OK && m_z.avail_in == 0 && m_inEof)) {
                // No progress is possible: the input ended inside the compressed stream.
                if (m_z.avail_in == 0 && m_inEof && m_z.avail_out != 0) {
                    m_end = End::TruncatedGzip;
                    m_finished = true;
                } else if (m_z.avail_in != 0 && m_z.avail_out != 0) {
                    m_end = End::TruncatedGzip;  // cannot happen per zlib; never loop forever
                    m_finished = true;
                }
            } else if (ret != Z_OK) {
                std::string why = m_z.msg ? m_z.msg : "error " + std::to_string(ret);
                fail(m_path, "damaged gzip data (" + why + ")");
            }
        }
        return got;
    }

private:
    void refill() {
        size_t got = std::fread(m_in.data(), 1, m_in.size(), m_file.get());
        checkReadError();
        m_z.next_in = m_in.data();
        m_z.avail_in = static_cast<unsigned>(got);
        if (got < m_in.size()) m_inEof = true;
    }
    void checkReadError() {
        if (std::ferror(m_file.get()))
            fail(m_path, std::string("read error: ") + std::strerror(errno));
    }

    std::string m_path;
    struct Closer {
        void operator()(FILE* f) const { std::fclose(f); }
    };
    std::unique_ptr<FILE, Closer> m_file;
    int64_t m_fileSize = 0;
    bool m_gzip = false;
    bool m_zReady = false;
    z_stream m_z{};
    std::vector<uint8_t> m_in;
    bool m_inEof = false, m_streamEnd = false, m_finished = false;
    End m_end = End::Clean;
};

std::string typeName(uint8_t code) {
    switch (code) {
        case 0x09:
            return "0x09 (signed byte)";
        case 0x0B:
            return "0x0B (int16)";
        case 0x0C:
            return "0x0C (int32)";
        case 0x0D:
            return "0x0D (float32)";
        case 0x0E:
            return "0x0E (float64)";
        default:
            return "0x" + hexByte(code) + " (unknown)";
    }
}

std::string rankWord(int rank) {
    return std::to_string(rank) + (rank == 1 ? " dimension" : " dimensions");
}

}  // namespace

IdxArray readIdx(const std::string& path, int expectedRank) {
    ByteSource src(path);
    const std::string kind = expectedRank == 3 ? "an images file (3 dimensions: count×rows×cols)"
                             : expectedRank == 1 ? "a labels file (1 dimension: count)"
                                                 : "a file with " + rankWord(expectedRank);
    const std::string gzNote = src.isGzip() ? " after decompression" : "";

    uint8_t magic[4];
    size_t got = src.read(magic, 4);
    if (got < 4 && src.end() == ByteSource::End::TruncatedGzip)
        fail(path, "the gzip data is cut short before the IDX header (file damaged?)");
    if (got == 0) fail(path, "the file is empty" + gzNote);
    if (got < 4)
        fail(path, "too short to be an IDX file (" + std::to_string(got) + " bytes" + gzNote + ")");
    const std::string expectedMagic = "00 00 08 0" + std::to_string(expectedRank);
    if (magic[0] != 0 || magic[1] != 0) {
        fail(path, "not an IDX file: wrong magic number " + hexByte(magic[0]) + " " +
                       hexByte(magic[1]) + " " + hexByte(magic[2]) + " " + hexByte(magic[3]) +
                       " (expected " + expectedMagic + ")");
    }
    if (magic[2] != 0x08) {
        fail(path, "data type " + typeName(magic[2]) +
                       " is not supported: NetLoom reads unsigned byte IDX files (type 0x08)");
    }
    const int rank = magic[3];
    if (rank != expectedRank) {
        std::string hint = expectedRank == 3 && rank == 1   ? " — is this a labels file?"
                           : expectedRank == 1 && rank == 3 ? " — is this an images file?"
                                                            : "";
        fail(path, "expected " + kind + ", but the header declares " + rankWord(rank) + hint);
    }

    uint8_t dimBytes[4 * 255];
    const size_t headerDims = static_cast<size_t>(4 * rank);
    got = src.read(dimBytes, headerDims);
    if (got < headerDims) {
        fail(path, "truncated header: " + std::to_string(4 + got) + " of " +
                       std::to_string(4 + headerDims) + " header bytes" + gzNote);
    }
    IdxArray out;
    int64_t total = 1;
    for (int i = 0; i < rank; ++i) {
        const uint8_t* p = dimBytes + 4 * i;
        int64_t d = (int64_t{p[0]} << 24) | (int64_t{p[1]} << 16) | (int64_t{p[2]} << 8) | p[3];
        if (d == 0) fail(path, "dimension " + std::to_string(i + 1) + " is zero in the header");
        if (d > kIdxMaxDimension) {
            fail(path, "dimension " + std::to_string(i + 1) + " is " + withThousands(d) +
                           ", over the limit of " + withThousands(kIdxMaxDimension) +
                           " (damaged header?)");
        }
        total *= d;  // each factor ≤ 1e8 and total ≤ 2^31 before it: no overflow
        if (total > kIdxMaxPayloadBytes) {
            fail(path, "the header promises more than " + withThousands(kIdxMaxPayloadBytes) +
                           " bytes of data (damaged header?)");
        }
        out.dims.push_back(d);
    }

    const int64_t headerSize = 4 + static_cast<int64_t>(headerDims);
    const std::string what = expectedRank == 3 ? "pixels" : expectedRank == 1 ? "labels" : "data";
    auto truncated = [&](int64_t have, const std::string& extra) {
        fail(path, "truncated: header promises " + withThousands(total) + " bytes of " + what +
                       ", file has " + withThousands(have) + extra);
    };
    // amount is empty when unknown (gzip: reading stops one byte past the payload).
    auto trailing = [&](const std::string& amount) {
        fail(path, (amount.empty() ? "" : amount + " ") + "unexpected bytes after the " +
                       withThousands(total) + " bytes of " + what +
                       " (the file holds more than its header promises)");
    };

    if (!src.isGzip()) {
        // Plain file: the size is known, so compare before allocating.
        const int64_t have = src.fileSize() - headerSize;
        if (have < total) truncated(have, "");
        if (have > total) trailing(withThousands(have - total));
        out.data.resize(static_cast<size_t>(total));
        got = src.read(out.data.data(), out.data.size());
        if (static_cast<int64_t>(got) < total) truncated(static_cast<int64_t>(got), "");
        return out;
    }

    // Gzip: never trust the header; grow the buffer only as decompressed data arrives, and stop
    // one byte past the promised payload.
    const size_t cap = static_cast<size_t>(total) + 1;
    constexpr size_t kChunk = size_t{1} << 20;
    size_t have = 0;
    while (have < cap) {
        size_t want = std::min(kChunk, cap - have);
        out.data.resize(have + want);
        size_t n = src.read(out.data.data() + have, want);
        have += n;
        if (n < want) break;
    }
    out.data.resize(std::min(have, static_cast<size_t>(total)));
    if (have < static_cast<size_t>(total)) {
        truncated(static_cast<int64_t>(have),
                  src.end() == ByteSource::End::TruncatedGzip
                      ? " after decompression (the gzip data is cut short)"
                      : " after decompression");
    }
    if (have > static_cast<size_t>(total)) trailing("");
    if (src.end() == ByteSource::End::TruncatedGzip)
        fail(path, "the gzip data is cut short after the payload (file damaged or incomplete)");
    if (src.end() == ByteSource::End::TrailingAfterGzip)
        fail(path, "unexpected bytes after the end of the gzip data (file damaged?)");
    out.data.shrink_to_fit();
    return out;
}

Dataset loadIdxDataset(const std::string& imagesPath, const std::string& labelsPath,
                       int numClasses) {
    IdxArray images = readIdxImages(imagesPath);
    IdxArray labels = readIdxLabels(labelsPath);
    const int64_t count = images.dims[0];
    if (labels.dims[0] != count) {
        throw Error(labelsPath + " has " + withThousands(labels.dims[0]) + " labels but " +
                    imagesPath + " has " + withThousands(count) +
                    " images: the two files must describe the same samples");
    }
    if (numClasses <= 0) {
        numClasses = 1 + *std::max_element(labels.data.begin(), labels.data.end());
    } else {
        for (int64_t i = 0; i < count; ++i) {
            int label = labels.data[static_cast<size_t>(i)];
            if (label >= numClasses) {
                throw Error(labelsPath + ": label " + std::to_string(label) + " at index " +
                            withThousands(i) + " is out of range: expected 0.." +
                            std::to_string(numClasses - 1) + " (" + std::to_string(numClasses) +
                            " classes)");
            }
        }
    }

    Dataset d;
    d.name = imagesPath;
    d.sampleShape = Shape{1, images.dims[1], images.dims[2]};
    d.count = count;
    d.pixels = std::move(images.data);
    d.labels.assign(labels.data.begin(), labels.data.end());
    d.numClasses = numClasses;
    for (int c = 0; c < numClasses; ++c) d.classNames.push_back(std::to_string(c));
    return d;
}

}  // namespace netloom::engine
