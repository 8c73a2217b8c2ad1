// The project file: lossless round trips (text and disk), deterministic output, precise errors
// for corrupt and hostile input, and atomic saving.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/io/base64.h"
#include "engine/io/project_io.h"
#include "engine/io/project_migrate.h"
#include "engine/io/tensor_json.h"
#include "engine/layers/registry.h"
#include "engine/project/project.h"

using namespace netloom::engine;
using nlohmann::json;

namespace {

// ---- comparison: every field, doubles and floats bit for bit (NaN equals NaN) ----------------

bool sameDouble(double a, double b) {
    if (std::isnan(a) && std::isnan(b)) return true;
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool sameTensor(const Tensor& a, const Tensor& b) {
    return a.dims() == b.dims() && a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), static_cast<size_t>(a.size()) * sizeof(float)) == 0;
}

// Empty when equal, else the first difference.
std::string diffProjects(const Project& a, const Project& b) {
    if (a.name != b.name) return "name";
    if (a.description != b.description) return "description";
    if (a.networks.size() != b.networks.size()) return "number of networks";
    for (size_t i = 0; i < a.networks.size(); ++i) {
        const Network& x = a.networks[i];
        const Network& y = b.networks[i];
        std::string at = "network " + std::to_string(i) + ": ";
        if (x.role != y.role) return at + "role";
        if (x.graph.nodes().size() != y.graph.nodes().size()) return at + "node count";
        for (size_t k = 0; k < x.graph.nodes().size(); ++k) {
            const Node& n = x.graph.nodes()[k];
            const Node& m = y.graph.nodes()[k];
            if (n.id != m.id || n.type != m.type || n.name != m.name) return at + "node " + n.id;
            for (const auto& [key, v] : n.params.values()) {
                if (!m.params.has(key)) return at + "node " + n.id + " lost param " + key;
                const ParamValue& w = m.params.values().at(key);
                if (v.index() != w.index()) return at + "node " + n.id + " param type " + key;
                if (auto d = std::get_if<double>(&v)) {
                    if (!sameDouble(*d, std::get<double>(w))) return at + "param value " + key;
                } else if (v != w) {
                    return at + "node " + n.id + " param value " + key;
                }
            }
            if (n.params.values().size() != m.params.values().size())
                return at + "node " + n.id + " param count";
        }
        if (x.graph.edges() != y.graph.edges()) return at + "edges";
        if (x.layout != y.layout) return at + "layout";
        if (x.weights.size() != y.weights.size()) return at + "weights node count";
        for (const auto& [id, tensors] : x.weights) {
            auto it = y.weights.find(id);
            if (it == y.weights.end() || it->second.size() != tensors.size())
                return at + "weights of " + id;
            for (const auto& [name, t] : tensors) {
                auto jt = it->second.find(name);
                if (jt == it->second.end() || !sameTensor(t, jt->second))
                    return at + "tensor " + id + "/" + name;
            }
        }
    }
    if (!(a.training == b.training)) return "training config";
    if (a.history.size() != b.history.size()) return "history size";
    for (size_t i = 0; i < a.history.size(); ++i) {
        const RunRecord& r = a.history[i];
        const RunRecord& s = b.history[i];
        std::string at = "run " + std::to_string(i) + ": ";
        if (r.started != s.started || r.status != s.status || r.message != s.message)
            return at + "text fields";
        if (!sameDouble(r.seconds, s.seconds)) return at + "seconds";
        if (!(r.config == s.config)) return at + "config";
        if (!sameDouble(r.testLoss, s.testLoss) || !sameDouble(r.testAccuracy, s.testAccuracy))
            return at + "test metrics";
        if (r.epochs.size() != s.epochs.size()) return at + "epoch count";
        for (size_t e = 0; e < r.epochs.size(); ++e) {
            const EpochRecord& p = r.epochs[e];
            const EpochRecord& q = s.epochs[e];
            if (p.epoch != q.epoch || !sameDouble(p.trainLoss, q.trainLoss) ||
                !sameDouble(p.trainAccuracy, q.trainAccuracy) ||
                !sameDouble(p.valLoss, q.valLoss) || !sameDouble(p.valAccuracy, q.valAccuracy) ||
                !sameDouble(p.seconds, q.seconds))
                return at + "epoch " + std::to_string(e);
        }
    }
    return {};
}

// ---- fixtures -----------------------------------------------------------------------------

float fromBits(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// Random values, with the awkward ones at the front: -0, denormals, extremes, inf, NaN payload.
Tensor randomTensor(std::vector<int64_t> dims, uint64_t seed) {
    Tensor t(std::move(dims));
    std::mt19937_64 gen(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int64_t i = 0; i < t.size(); ++i) t[i] = normal(gen) * std::pow(10.0f, (i % 7) - 3.0f);
    const float special[] = {-0.0f,
                             fromBits(0x00000001),  // smallest denormal
                             fromBits(0x807fffff),  // largest negative denormal
                             1.0e-39f,
                             FLT_MAX,
                             -FLT_MAX,
                             3.0e38f,
                             FLT_MIN,
                             std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(),
                             fromBits(0x7fc01234),   // quiet NaN with a payload
                             fromBits(0xffa00001)};  // signalling-pattern NaN, negative
    for (int64_t i = 0; i < t.size() && i < int64_t(std::size(special)); ++i) t[i] = special[i];
    return t;
}

// A value different from the schema's default, valid for the spec.
ParamValue nonDefault(const ParamSpec& spec) {
    switch (spec.type) {
        case ParamType::Int: {
            int64_t def = std::get<int64_t>(spec.defaultValue);
            return def + 1 <= int64_t(spec.max) ? def + 1 : def - 1;
        }
        case ParamType::Float: {
            double def = std::get<double>(spec.defaultValue);
            return spec.max > def ? def + (spec.max - def) / 3.0 : def - (def - spec.min) / 3.0;
        }
        case ParamType::Bool:
            return !std::get<bool>(spec.defaultValue);
        case ParamType::Choice:
            for (const auto& c : spec.choices)
                if (c != std::get<std::string>(spec.defaultValue)) return c;
            return spec.defaultValue;
        case ParamType::Shape:
            return std::string("2,3,5");
    }
    return spec.defaultValue;
}

TrainingConfig nonDefaultConfig() {
    TrainingConfig t;
    t.task = "regression";
    t.loss = "mse";
    t.optimizer.type = "sgd";
    t.optimizer.lr = 0.0123;
    t.optimizer.momentum = 0.9;
    t.optimizer.dampening = 0.1;
    t.optimizer.nesterov = true;
    t.optimizer.beta1 = 0.8;
    t.optimizer.beta2 = 0.95;
    t.optimizer.eps = 1e-6;
    t.optimizer.alpha = 0.9;
    t.optimizer.weightDecay = 5e-4;
    t.optimizer.l1 = 1e-5;
    t.optimizer.l2 = 2e-5;
    t.optimizer.clipNorm = 1.5;
    t.batchSize = 128;
    t.epochs = 17;
    t.validationSplit = 0.15;
    t.earlyStopping = 4;
    t.seed = (uint64_t{1} << 62) + 12345;  // large seeds survive (the range is 0 … 2^63 − 1)
    t.init = "he";
    t.threads = 3;
    t.inputNoise = 0.35;
    t.dataset.kind = "csv";
    t.dataset.trainImages = "/data/train-images.idx3-ubyte.gz";
    t.dataset.trainLabels = "/data/train-labels.idx1-ubyte";
    t.dataset.testImages = "/data/t10k-images";
    t.dataset.testLabels = "/data/t10k-labels";
    t.dataset.csvPath = "/home/ana/prices \"2026\".csv";
    t.dataset.csvTarget = "price";
    t.dataset.testFraction = 0.25;
    t.dataset.synthetic = "xor";
    t.dataset.syntheticSamples = 4321;
    t.dataset.syntheticNoise = 0.33;
    t.dataset.limitTrain = 1000;
    t.dataset.limitTest = 200;
    t.dataset.scaling = "signed";
    return t;
}

// Every field set to something other than its default. Nodes: one per registered layer kind
// with every parameter changed, plus params of each ParamValue alternative.
Project fullProject() {
    Project p;
    p.name = "Fashion CNN – ünïcödé \"quoted\"";
    p.description = "Line one\nline two\twith tab and \\backslash\\ and emoji \xF0\x9F\xA7\xB6";
    Network& net = p.model();
    int k = 0;
    std::string prev;
    for (const LayerDef* def : allLayerDefs()) {
        Node n;
        n.id = "n" + std::to_string(++k);
        n.type = def->type();
        n.name = net.graph.makeName("layer_" + std::to_string(k));
        for (const ParamSpec& spec : def->schema()) n.params.set(spec.key, nonDefault(spec));
        net.graph.addNode(n);
        if (!prev.empty()) net.graph.connect({prev, 0, n.id, 0});
        prev = n.id;
        if (k % 4 != 0)  // some nodes have no UI data
            net.layout[n.id] = NodeUi{12.5 * k, -7.25 * k, k % 2 ? "note\nwith a line" : ""};
    }
    // A Dense whose units are a whole double (stays a double) and a second input edge.
    Node extra{"nx", "Dense", "fc_double", {}};
    extra.params.set("units", 32.0);
    extra.params.set("use_bias", false);
    net.graph.addNode(extra);
    net.graph.connect({"n1", 2, "nx", 0});
    net.graph.connect({"n1", 0, "n2", 1});
    net.weights["n2"]["weight"] = randomTensor({5, 7}, 1);
    net.weights["n2"]["bias"] = randomTensor({5}, 2);
    net.weights["n3"]["running_mean"] = randomTensor({2, 3, 4}, 3);
    net.weights["n3"]["scalar"] = randomTensor({}, 4);
    net.weights["nx"]["weight"] = randomTensor({1, 2, 1, 2, 1, 3}, 5);

    Network d;
    d.role = "discriminator";
    d.graph.addNode({"d1", "Input", "image", {}});
    Node fc{"d2", "Dense", "judge", {}};
    fc.params.set("units", int64_t{1});
    d.graph.addNode(fc);
    d.graph.connect({"d1", 0, "d2", 0});
    d.layout["d1"] = NodeUi{-0.0, 1e300, ""};
    d.weights["d2"]["weight"] = randomTensor({1, 784}, 6);
    p.networks.push_back(d);

    p.training = nonDefaultConfig();

    RunRecord r1;
    r1.started = "2026-11-23T10:00:00Z";
    r1.seconds = 12.5;
    r1.status = "finished";
    r1.config = TrainingConfig{};
    r1.epochs = {{1, 0.9, 0.7, 0.85, 0.72, 6.0}, {2, 0.5, 0.81, 0.55, 0.8, 6.5}};
    r1.testLoss = 0.56;
    r1.testAccuracy = 0.795;
    RunRecord r2;
    r2.started = "2026-11-24T08:30:01Z";
    r2.seconds = 5e-324;  // denormal double
    r2.status = "failed";
    r2.message = "Dense 'fc1' expects a flat input, got 64×7×7: insert Flatten";
    r2.config = nonDefaultConfig();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r2.epochs = {{1, 123.25, nan, -0.0, nan, 0.1}};
    r2.testLoss = 1.7976931348623157e308;
    r2.testAccuracy = nan;
    p.history = {r1, r2};
    return p;
}

// Input(4) → Dense(3) 'fc1' → Dense(2) 'fc2', with weights for fc1 and one run.
Project smallProject() {
    Project p;
    p.name = "small";
    Network& net = p.model();
    Node in{"n1", "Input", "input", {}};
    in.params.set("shape", std::string("4"));
    Node fc1{"n2", "Dense", "fc1", {}};
    fc1.params.set("units", int64_t{3});
    Node fc2{"n3", "Dense", "fc2", {}};
    fc2.params.set("units", int64_t{2});
    net.graph.addNode(in);
    net.graph.addNode(fc1);
    net.graph.addNode(fc2);
    net.graph.connect({"n1", 0, "n2", 0});
    net.graph.connect({"n2", 0, "n3", 0});
    net.layout["n1"] = NodeUi{0, 0, ""};
    net.weights["n2"]["weight"] = randomTensor({3, 4}, 7);
    net.weights["n2"]["bias"] = randomTensor({3}, 8);
    RunRecord r;
    r.started = "2026-01-01T00:00:00Z";
    r.status = "finished";
    r.epochs = {{1, 1.0, 0.5, 1.1, 0.4, 0.2}};
    p.history = {r};
    return p;
}

// The message of the Error thrown by f, or a marker when it throws nothing / something else.
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<not a netloom::Error: ") + e.what() + ">";
    }
    return "<no error>";
}

QStringList entriesOf(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

std::string readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return "<unreadable>";
    return f.readAll().toStdString();
}

}  // namespace

class TestProjectIo : public QObject {
    Q_OBJECT
private slots:
    // ---- building blocks ------------------------------------------------------------------

    void base64MatchesRfc4648_data() {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QByteArray("") << QByteArray("");
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg==");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8=");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg==");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE=");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("high bytes") << QByteArray("\xff\xfe\x00\x80", 4) << QByteArray("//4AgA==");
    }
    void base64MatchesRfc4648() {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        auto* bytes = reinterpret_cast<const uint8_t*>(plain.constData());
        std::string enc = base64Encode(bytes, size_t(plain.size()));
        QCOMPARE(QByteArray::fromStdString(enc), encoded);
        QCOMPARE(base64EncodedLength(size_t(plain.size())), size_t(encoded.size()));
        std::vector<uint8_t> out;
        QCOMPARE(QString::fromStdString(base64Decode(encoded.toStdString(), out)), QString());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(out.size())),
                 plain);
    }

    void base64RejectsMalformed_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("length") << QByteArray("Zg=") << "not a multiple of 4";
        QTest::newRow("bad char") << QByteArray("Zm9v#mFy") << "character 5 ('#')";
        QTest::newRow("padding inside") << QByteArray("Zg==Zg==") << "character 3 ('=')";
        QTest::newRow("three pads") << QByteArray("Z===") << "character 2 ('=')";
        QTest::newRow("stray bits") << QByteArray("Zh==") << "stray bits";
        QTest::newRow("newline") << QByteArray("Zm9v\nmFy") << "character 5 ('byte 10')";
    }
    void base64RejectsMalformed() {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        std::vector<uint8_t> out;
        QString got = QString::fromStdString(base64Decode(text.toStdString(), out));
        QVERIFY2(got.contains(reason), qPrintable(got));
    }

    void crc32IsZlibs() {
        const char* check = "123456789";
        QCOMPARE(crc32Of(reinterpret_cast<const uint8_t*>(check), 9), 0xCBF43926u);
        QCOMPARE(crc32Of(nullptr, 0), 0u);
    }

    // ---- round trips ----------------------------------------------------------------------

    void fixtureCoversEveryParamTypeAndLayer() {
        Project p = fullProject();
        std::set<size_t> kinds;
        std::set<std::string> types;
        for (const Node& n : p.model().graph.nodes()) {
            types.insert(n.type);
            for (const auto& [key, v] : n.params.values()) kinds.insert(v.index());
        }
        QCOMPARE(kinds.size(), std::variant_size_v<ParamValue>);
        QCOMPARE(types.size(), allLayerDefs().size());
        QVERIFY(types.size() >= 2);
    }

    void roundTripsThroughText() {
        const Project p = fullProject();
        const std::string text = serializeProject(p);
        const Project q = parseProject(text, "memory");
        const std::string diff = diffProjects(p, q);
        QVERIFY2(diff.empty(), diff.c_str());
        // The parsed params keep their JSON types: a whole double stays a double.
        QVERIFY(
            std::holds_alternative<double>(q.model().graph.node("nx").params.values().at("units")));
        QCOMPARE(q.training.seed, (uint64_t{1} << 62) + 12345);
        QVERIFY(std::isnan(q.history[1].testAccuracy));
        QVERIFY(std::signbit(q.history[1].epochs[0].valLoss));
        QCOMPARE(serializeProject(q), text);  // reading loses nothing the writer wrote
    }

    void serializesDeterministically() {
        const Project p = fullProject();
        const std::string a = serializeProject(p);
        const std::string b = serializeProject(fullProject());
        QCOMPARE(a, b);
        QVERIFY(a.size() > 1000);
        // Pretty enough to diff, but each tensor's data on one line.
        QVERIFY(a.find("\n  \"networks\": [\n") != std::string::npos);
        for (const auto& [name, t] : p.model().weights.at("n2")) {
            std::vector<uint8_t> bytes(size_t(t.size()) * 4);
            std::memcpy(bytes.data(), t.data(), bytes.size());  // little-endian host
            std::string line = "\"data\": \"" + base64Encode(bytes.data(), bytes.size()) + "\"";
            QVERIFY2(a.find(line) != std::string::npos, name.c_str());
        }
        // Documented key order at the top.
        QVERIFY(a.rfind("{\n  \"format\": \"netloom-project\",\n  \"version\": 3,\n", 0) == 0);
    }

    void roundTripsThroughFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("full.netloom").toStdString();
        const Project p = fullProject();
        saveProject(p, path);
        const Project q = loadProject(path);
        const std::string diff = diffProjects(p, q);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(readAll(dir.filePath("full.netloom")), serializeProject(p));
        QCOMPARE(entriesOf(dir.path()), QStringList{"full.netloom"});
    }

    void roundTripsLargeWeights() {
        Project p = smallProject();
        p.model().weights["n2"]["weight"] = randomTensor({256, 784}, 42);
        const Project q = parseProject(serializeProject(p), "large");
        QVERIFY(sameTensor(p.model().weights.at("n2").at("weight"),
                           q.model().weights.at("n2").at("weight")));
    }

    void missingOptionalFieldsTakeDefaults() {
        const std::string text = R"({"format": "netloom-project", "version": 1,
            "networks": [{"nodes": [{"id": "a", "type": "Input"},
                                    {"id": "b", "type": "Dense", "params": {"units": 10}}],
                          "edges": [{"from": "a", "fromPort": 0, "to": "b", "toPort": 0}]}]})";
        const Project p = parseProject(text, "minimal");
        QCOMPARE(p.name, std::string());
        QCOMPARE(p.networks.size(), size_t(1));
        QCOMPARE(p.model().role, std::string("model"));
        QVERIFY(p.training == TrainingConfig{});
        QVERIFY(p.history.empty());
        QVERIFY(p.model().layout.empty());
        QVERIFY(p.model().weights.empty());
        const Node& a = p.model().graph.node("a");
        QCOMPARE(a.name, std::string("a"));  // the id stands in for a missing name
        QVERIFY(a.params.values().empty());  // defaults are filled by analysis, not stored
        QCOMPARE(p.model().graph.node("b").params.getInt("units"), int64_t{10});
        QCOMPARE(p.model().graph.edges().size(), size_t(1));

        // Partial nested objects: present fields win, the rest stay default.
        const Project q = parseProject(R"({"format": "netloom-project", "version": 1,
            "networks": [{}], "training": {"optimizer": {"lr": 0.5}},
            "history": [{"epochs": [{"epoch": 3}]}]})",
                                       "partial");
        TrainingConfig expected;
        expected.optimizer.lr = 0.5;
        QVERIFY(q.training == expected);
        QCOMPARE(q.history.size(), size_t(1));
        QCOMPARE(q.history[0].epochs[0].epoch, int64_t{3});
        QVERIFY(q.history[0].config == TrainingConfig{});
    }

    void unknownFieldsAreIgnored() {
        json doc = json::parse(serializeProject(smallProject()));
        doc["future_feature"] = {{"a", json::array({1, 2, 3})}};
        doc["networks"][0]["extra"] = "x";
        doc["networks"][0]["nodes"][0]["ui"]["colour"] = "red";
        doc["training"]["scheduler"] = {{"type", "cosine"}};
        doc["networks"][0]["weights"]["n2"]["weight"]["compression"] = "none";
        const Project p = parseProject(doc.dump(), "newer-fields");
        const std::string diff = diffProjects(p, smallProject());
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void currentVersionNeedsNoMigration() {
        json doc = json::parse(serializeProject(smallProject()));
        const json before = doc;
        migrateProject(doc, kProjectVersion);
        QCOMPARE(doc, before);
        QVERIFY(errorOf([&] { migrateProject(doc, 0); }).find("format version 0") !=
                std::string::npos);
        QVERIFY(errorOf([&] { migrateProject(doc, kProjectVersion + 1); }).find("newer") !=
                std::string::npos);
    }

    // ---- corrupt input --------------------------------------------------------------------

    void rejectsCorruptInput_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        const json base = json::parse(serializeProject(smallProject()));
        auto row = [&](const char* name, const std::function<void(json&)>& mutate,
                       const std::string& expected) {
            json doc = base;
            mutate(doc);
            QTest::newRow(name) << QByteArray::fromStdString(doc.dump(1))
                                << QString::fromStdString(expected);
        };
        auto raw = [&](const char* name, const std::string& text, const std::string& expected) {
            QTest::newRow(name) << QByteArray::fromStdString(text)
                                << QString::fromStdString(expected);
        };
        const std::string W = "at /networks/0/weights/n2/weight";

        raw("not JSON", R"({"format": nope})", "at line 1, column 13: not valid JSON: ");
        raw("not JSON, line 3", "{\n  \"format\": \"netloom-project\",\n  oops\n}",
            "at line 3, column 3: not valid JSON: ");
        raw("empty file", "", "at line 1, column 1: not valid JSON: ");
        raw("trailing garbage", base.dump() + " x", "not valid JSON: ");
        raw("number overflow",
            R"({"format": "netloom-project", "version": 1, "x": 1e400, "networks": [{}]})",
            "not valid JSON: number overflow");
        raw("invalid UTF-8", "{\"format\": \"netloom-project\", \"name\": \"\xC3\x28\"}",
            "not valid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8");
        raw("root is an array", "[1, 2]", "at /: must be an object, got array");
        row(
            "missing format", [](json& d) { d.erase("format"); },
            "at /: missing field \"format\": this is not a NetLoom project");
        row(
            "wrong format", [](json& d) { d["format"] = "netloom-projekt"; },
            "at /format: expected \"netloom-project\", got \"netloom-projekt\"");
        row(
            "format not a string", [](json& d) { d["format"] = 1; },
            "at /format: must be a string, got number");
        row(
            "future version", [](json& d) { d["version"] = 7; },
            "at /version: was saved by a newer NetLoom (format version 7); this version reads "
            "up to 3");
        row(
            "version 0", [](json& d) { d["version"] = 0; },
            "at /version: format version 0 is not a NetLoom project version");
        row(
            "no version", [](json& d) { d.erase("version"); }, "at /: missing field \"version\"");
        row(
            "version as text", [](json& d) { d["version"] = "1"; },
            "at /version: must be a whole number, got string");
        row(
            "missing networks", [](json& d) { d.erase("networks"); },
            "at /: missing field \"networks\"");
        row(
            "no network", [](json& d) { d["networks"] = json::array(); },
            "at /networks: must hold at least one network");
        row(
            "networks not a list", [](json& d) { d["networks"] = json::object(); },
            "at /networks: must be an array, got object");
        row(
            "node without id", [](json& d) { d["networks"][0]["nodes"][1].erase("id"); },
            "at /networks/0/nodes/1: missing field \"id\"");
        row(
            "empty node id", [](json& d) { d["networks"][0]["nodes"][1]["id"] = ""; },
            "at /networks/0/nodes/1/id: must not be empty");
        row(
            "node not an object", [](json& d) { d["networks"][0]["nodes"][1] = 5; },
            "at /networks/0/nodes/1: must be an object, got number");
        row(
            "duplicate node id", [](json& d) { d["networks"][0]["nodes"][2]["id"] = "n2"; },
            "at /networks/0/nodes/2/id: duplicate node id 'n2'");
        row(
            "unknown layer type", [](json& d) { d["networks"][0]["nodes"][1]["type"] = "Dense3D"; },
            "at /networks/0/nodes/1/type: unknown layer type 'Dense3D'");
        row(
            "bad param value", [](json& d) { d["networks"][0]["nodes"][1]["params"]["units"] = 0; },
            "at /networks/0/nodes/1/params/units: Dense 'fc1': parameter 'units' must be "
            "between 1 and 65536, got 0");
        row(
            "param of the wrong type",
            [](json& d) { d["networks"][0]["nodes"][1]["params"]["units"] = "many"; },
            "at /networks/0/nodes/1/params/units: Dense 'fc1': parameter 'units' must be a "
            "whole number");
        row(
            "param is a list",
            [](json& d) { d["networks"][0]["nodes"][1]["params"]["units"] = json::array(); },
            "at /networks/0/nodes/1/params/units: must be a number, true/false or text, got "
            "array");
        row(
            "unknown param",
            [](json& d) { d["networks"][0]["nodes"][1]["params"]["colour"] = "red"; },
            "at /networks/0/nodes/1/params/colour: Dense 'fc1': unknown parameter 'colour'");
        row(
            "bad input shape",
            [](json& d) { d["networks"][0]["nodes"][0]["params"]["shape"] = "1,0"; },
            "at /networks/0/nodes/0/params/shape: Input 'input': parameter 'shape' ");
        row(
            "ui position as text",
            [](json& d) { d["networks"][0]["nodes"][0]["ui"]["x"] = "left"; },
            "at /networks/0/nodes/0/ui/x: must be a number, got string");
        row(
            "edge to unknown node", [](json& d) { d["networks"][0]["edges"][1]["to"] = "n9"; },
            "at /networks/0/edges/1/to: no node with id 'n9'");
        row(
            "edge from unknown node", [](json& d) { d["networks"][0]["edges"][0]["from"] = "zz"; },
            "at /networks/0/edges/0/from: no node with id 'zz'");
        row(
            "negative port", [](json& d) { d["networks"][0]["edges"][0]["toPort"] = -1; },
            "at /networks/0/edges/0/toPort: must be between 0 and 2147483647, got -1");
        row(
            "port missing", [](json& d) { d["networks"][0]["edges"][0].erase("fromPort"); },
            "at /networks/0/edges/0: missing field \"fromPort\"");
        row(
            "port connected twice",
            [](json& d) {
                d["networks"][0]["edges"].push_back(
                    {{"from", "n1"}, {"fromPort", 0}, {"to", "n3"}, {"toPort", 0}});
            },
            "at /networks/0/edges/2/toPort: input port 0 of node 'n3' is already connected");
        row(
            "edge to itself", [](json& d) { d["networks"][0]["edges"][1]["from"] = "n3"; },
            "at /networks/0/edges/1: connects node 'n3' to itself");
        row(
            "weights of unknown node",
            [](json& d) { d["networks"][0]["weights"]["n7"] = d["networks"][0]["weights"]["n2"]; },
            "at /networks/0/weights/n7: weights for node 'n7', which is not in the network");
        row(
            "pointer escaping",
            [](json& d) { d["networks"][0]["weights"]["a/b~c"] = json::object(); },
            "at /networks/0/weights/a~1b~0c: weights for node 'a/b~c'");
        row(
            "crc mismatch",
            [](json& d) {
                auto& crc = d["networks"][0]["weights"]["n2"]["weight"]["crc32"];
                crc = crc.get<uint32_t>() ^ 1u;
            },
            W + "/crc32: checksum mismatch");
        row(
            "crc out of range",
            [](json& d) { d["networks"][0]["weights"]["n2"]["weight"]["crc32"] = -5; },
            W + "/crc32: must be between 0 and 4294967295, got -5");
        row(
            "length mismatch",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {3, 5};
            },
            W + "/data: holds 64 base64 characters but shape [3, 5] (15 float32 values) needs "
                "80");
        row(
            "data shortened",
            [](json& d) {
                auto& data = d["networks"][0]["weights"]["n2"]["weight"]["data"];
                data = data.get<std::string>().substr(4);
            },
            W + "/data: holds 60 base64 characters");
        row(
            "invalid base64",
            [](json& d) {
                auto& data = d["networks"][0]["weights"]["n2"]["weight"]["data"];
                std::string s = data.get<std::string>();
                s[10] = '#';
                data = s;
            },
            W + "/data: invalid base64: character 11 ('#') is not base64");
        row(
            "data not text",
            [](json& d) { d["networks"][0]["weights"]["n2"]["weight"]["data"] = 5; },
            W + "/data: must be a string, got number");
        row(
            "absurd shape",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {1000000000, 1000000000};
            },
            W + "/shape/0: must be between 1 and 268435456, got 1000000000");
        row(
            "absurd element count",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {65536, 65536, 65536};
            },
            W + "/shape: is too large: more than 268435456 elements");
        row(
            "huge dimension",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {int64_t{1} << 40};
            },
            W + "/shape/0: must be between 1 and 268435456");
        row(
            "zero dimension",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {0, 4};
            },
            W + "/shape/0: must be between 1 and 268435456, got 0");
        row(
            "rank 7",
            [](json& d) {
                d["networks"][0]["weights"]["n2"]["weight"]["shape"] = {1, 1, 1, 1, 1, 3, 4};
            },
            W + "/shape: has 7 dimensions; at most 6 are supported");
        row(
            "dtype f16",
            [](json& d) { d["networks"][0]["weights"]["n2"]["weight"]["dtype"] = "f16"; },
            W + "/dtype: unsupported dtype \"f16\"");
        row(
            "training field mistyped", [](json& d) { d["training"]["batch_size"] = "64"; },
            "at /training/batch_size: must be a whole number, got string");
        row(
            "optimizer field mistyped", [](json& d) { d["training"]["optimizer"]["lr"] = "fast"; },
            "at /training/optimizer/lr: must be a number, got string");
        row(
            "negative seed", [](json& d) { d["training"]["seed"] = -1; },
            "at /training/seed: must be at least 0, got -1");
        row(
            "threads too large", [](json& d) { d["training"]["threads"] = 1e10; },
            "at /training/threads: must be between 0 and 256, got 10000000000");
        row(
            "seed beyond int64", [](json& d) { d["training"]["seed"] = uint64_t{1} << 63; },
            "at /training/seed: must be at most");
        row(
            "zero learning rate", [](json& d) { d["training"]["optimizer"]["lr"] = 0; },
            "at /training/optimizer/lr: must be > 0, got 0");
        row(
            "batch size zero", [](json& d) { d["training"]["batch_size"] = 0; },
            "at /training/batch_size: must be between 1 and 65536, got 0");
        row(
            "unknown optimizer", [](json& d) { d["training"]["optimizer"]["type"] = "adamax"; },
            "at /training/optimizer/type: must be one of sgd, adam, adamw, rmsprop, lion, got "
            "'adamax'");
        row(
            "discriminator beta out of range",
            [](json& d) { d["training"]["gan"]["discriminator_optimizer"]["beta1"] = 1; },
            "at /training/gan/discriminator_optimizer/beta1: must be at least 0 and below 1, "
            "got 1");
        row(
            "negative early stopping", [](json& d) { d["training"]["early_stopping"] = -1; },
            "at /training/early_stopping: must be between 0 and 100000, got -1");
        row(
            "input noise above 1", [](json& d) { d["training"]["input_noise"] = 1.5; },
            "at /training/input_noise: must be between 0 and 1, got 1.5");
        row(
            "negative input noise", [](json& d) { d["training"]["input_noise"] = -0.1; },
            "at /training/input_noise: must be between 0 and 1, got -0.1");
        row(
            "input noise as text", [](json& d) { d["training"]["input_noise"] = "some"; },
            "at /training/input_noise: must be a number, got string");
        row(
            "dataset field mistyped", [](json& d) { d["dataset"]["limit_train"] = 1.5; },
            "at /dataset/limit_train: must be a whole number, got number");
        row(
            "history not a list", [](json& d) { d["history"] = "none"; },
            "at /history: must be an array, got string");
        row(
            "epoch field mistyped",
            [](json& d) { d["history"][0]["epochs"][0]["train_loss"] = "x"; },
            "at /history/0/epochs/0/train_loss: must be a number, got string");
        row(
            "run config mistyped",
            [](json& d) { d["history"][0]["config"]["training"]["epochs"] = true; },
            "at /history/0/config/training/epochs: must be a whole number, got boolean");
    }
    void rejectsCorruptInput() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const std::string message =
            errorOf([&] { parseProject(text.toStdString(), "bad.netloom"); });
        QVERIFY2(message.rfind("bad.netloom: ", 0) == 0, message.c_str());
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    void truncatedFilesAlwaysFail() {
        const std::string text = serializeProject(fullProject());
        const size_t last = text.rfind('}');
        QVERIFY(last != std::string::npos);
        std::vector<size_t> cuts;
        for (size_t n = 0; n < 64; ++n) cuts.push_back(n);
        for (size_t n = 64; n < last; n += std::max<size_t>(1, last / 300)) cuts.push_back(n);
        for (size_t n = last - 5; n <= last; ++n) cuts.push_back(n);
        for (size_t n : cuts) {
            const std::string message =
                errorOf([&] { parseProject(text.substr(0, n), "cut.netloom"); });
            QVERIFY2(message.rfind("cut.netloom: ", 0) == 0,
                     (std::to_string(n) + ": " + message).c_str());
        }
    }

    void damagedBytesNeverCrash() {
        const std::string text = serializeProject(smallProject());
        std::mt19937 gen(7);
        int errors = 0;
        for (int i = 0; i < 300; ++i) {
            std::string damaged = text;
            for (int k = 0; k < 3; ++k)
                damaged[gen() % damaged.size()] = static_cast<char>(gen() % 256);
            try {
                parseProject(damaged, "damaged");
            } catch (const netloom::Error& e) {
                ++errors;
                QVERIFY2(std::string(e.what()).rfind("damaged: ", 0) == 0, e.what());
            }
            // any other exception escapes and fails the test
        }
        QVERIFY(errors > 100);
    }

    // ---- hostile input --------------------------------------------------------------------

    void refusesDeepNesting_data() {
        QTest::addColumn<QString>("text");
        const int n = 100000;
        QString arrays = QString(n, '[') + QString(n, ']');
        QString objects;
        for (int i = 0; i < n; ++i) objects += "{\"a\":";
        objects += "1" + QString(n, '}');
        QTest::newRow("arrays") << arrays;
        QTest::newRow("objects") << objects;
        QTest::newRow("unclosed") << QString(n, '[');
        QTest::newRow("inside an unknown field")
            << "{\"format\": \"netloom-project\", \"version\": 1, \"networks\": [{}], \"x\": " +
                   arrays + "}";
    }
    void refusesDeepNesting() {
        QFETCH(QString, text);
        const std::string message = errorOf([&] { parseProject(text.toStdString(), "deep"); });
        QVERIFY2(message.rfind("deep: at line 1, column ", 0) == 0, message.c_str());
        QVERIFY2(message.find("nested more than 256 levels deep") != std::string::npos,
                 message.c_str());
    }

    void bracketsInsideStringsAreNotNesting() {
        Project p = smallProject();
        p.name = std::string(10000, '[') + "\"\\{";
        const Project q = parseProject(serializeProject(p), "brackets");
        QCOMPARE(q.name, p.name);
    }

    void acceptsHugeStringField() {
        Project p = smallProject();
        p.description = std::string(50u << 20, 'x');
        const Project q = parseProject(serializeProject(p), "huge");
        QCOMPARE(q.description.size(), size_t(50u << 20));
    }

    // Long strings skip nlohmann's lexer and dumper (json_blobs.h); none of that may show.
    void longStringsRoundTripExactly() {
        Project p = smallProject();
        p.model().weights["n2"]["weight"] = randomTensor({3, 4000}, 9);  // 64 KB of base64
        p.description = std::string(10000, 'A');  // looks like base64: lifted, then resolved
        p.name = "@@nlblob:0@@";                  // a forged placeholder: lifting is disabled
        p.model().weights["n2"][std::string(5000, 'k')] = randomTensor({2}, 10);  // a long key
        const std::string text = serializeProject(p);
        QVERIFY(text.find("\"name\": \"@@nlblob:0@@\"") != std::string::npos);
        std::string diff = diffProjects(parseProject(text, "forged"), p);
        QVERIFY2(diff.empty(), diff.c_str());

        p.name = "plain";  // now the fast paths run on both sides
        const std::string fast = serializeProject(p);
        QVERIFY(fast.find("@@nlblob") == std::string::npos);
        diff = diffProjects(parseProject(fast, "fast"), p);
        QVERIFY2(diff.empty(), diff.c_str());

        // Errors quote the real text of a lifted string, never a placeholder.
        json doc = json::parse(fast);
        doc["networks"][0]["nodes"][0]["params"]["shape"] = std::string(5000, '7');
        const std::string m = errorOf([&] { parseProject(doc.dump(), "param"); });
        QVERIFY2(m.find("at /networks/0/nodes/0/params/shape: Input 'input': parameter 'shape' "
                        "shape \"7777") != std::string::npos,
                 m.substr(0, 300).c_str());
        QVERIFY(m.find("nlblob") == std::string::npos);
    }

    void errorPositionsCountLongStrings() {
        Project p = smallProject();
        p.model().weights["n2"]["weight"] = randomTensor({3, 4000}, 9);
        std::string text = serializeProject(p);
        const size_t at = text.rfind("\n}");
        text.insert(at, ",\n  oops");
        const int64_t line = std::count(text.begin(), text.begin() + int64_t(at), '\n') + 2;
        const std::string m = errorOf([&] { parseProject(text, "pos"); });
        const std::string expected =
            "pos: at line " + std::to_string(line) + ", column 3: not valid JSON";
        QVERIFY2(m.rfind(expected, 0) == 0, (m + " / expected " + expected).c_str());

        // A damaged character inside a long tensor string is found after lifting too.
        std::string damaged = serializeProject(p);
        const size_t data = damaged.find("\"data\": \"", damaged.find("\"weight\": {")) + 9 + 10;
        damaged[data] = '*';
        const std::string m2 = errorOf([&] { parseProject(damaged, "dmg"); });
        QVERIFY2(m2.find("dmg: at /networks/0/weights/n2/weight/data: invalid base64: character "
                         "11 ('*')") == 0,
                 m2.c_str());
    }

    // ---- the writer refuses what the reader would refuse ----------------------------------

    void writerRefusesUnreadableProjects() {
        Project p = smallProject();
        p.model().graph.findNode("n2")->params.set("units", int64_t{0});
        std::string m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("Dense 'fc1': parameter 'units' must be between 1 and 65536") !=
                     std::string::npos,
                 m.c_str());

        p = smallProject();
        p.model().graph.findNode("n3")->type = "Quantum";
        m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("node 'n3' has an unknown layer type 'Quantum'") != std::string::npos,
                 m.c_str());

        p = smallProject();
        p.model().weights["ghost"]["weight"] = randomTensor({2}, 1);
        m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("weights for node 'ghost'") != std::string::npos, m.c_str());

        p = smallProject();
        p.model().weights["n3"]["weight"] = Tensor();
        m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("weights 'weight' of node 'n3': tensor is empty") != std::string::npos,
                 m.c_str());

        p = smallProject();
        p.training.inputNoise = 2.0;
        m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("cannot save: training.input_noise must be between 0 and 1, got 2") !=
                     std::string::npos,
                 m.c_str());

        p = smallProject();
        p.networks.clear();
        m = errorOf([&] { serializeProject(p); });
        QVERIFY2(m.find("no network") != std::string::npos, m.c_str());
    }

    // ---- files ------------------------------------------------------------------------------

    void loadReportsFileProblems() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("nope.netloom").toStdString();
        QCOMPARE(errorOf([&] { loadProject(missing); }),
                 missing + ": cannot open: No such file or directory");
        const std::string folder = dir.path().toStdString();
        QCOMPARE(errorOf([&] { loadProject(folder); }), folder + ": cannot open: Is a directory");

        const QString bad = dir.filePath("bad.netloom");
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\n  \"format\": \"netloom-project\",\n  \"version\": 1,\n  oops\n}");
        }
        std::string m = errorOf([&] { loadProject(bad.toStdString()); });
        QVERIFY2(m.rfind(bad.toStdString() + ": at line 4, column 3: not valid JSON", 0) == 0,
                 m.c_str());

        // A sparse file just over 1 GiB is refused before anything is read.
        const QString big = dir.filePath("big.netloom");
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize((qint64(1) << 30) + 1));
        }
        m = errorOf([&] { loadProject(big.toStdString()); });
        QVERIFY2(m.find("limited to 1 GiB") != std::string::npos, m.c_str());
    }

    void saveIntoMissingFolderFails() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("no/such/folder/p.netloom").toStdString();
        const std::string m = errorOf([&] { saveProject(smallProject(), path); });
        QVERIFY2(m.rfind(path + ": cannot save: ", 0) == 0, m.c_str());
        QVERIFY2(m.find("No such file or directory") != std::string::npos, m.c_str());
        QVERIFY(entriesOf(dir.path()).isEmpty());
    }

    void saveReplacesExistingFile() {
        QTemporaryDir dir;
        const QString qpath = dir.filePath("p.netloom");
        const std::string path = qpath.toStdString();
        writeFileAtomically(path, "old contents");
        QVERIFY(::chmod(path.c_str(), 0640) == 0);
        Project p = fullProject();
        saveProject(p, path);
        QCOMPARE(readAll(qpath), serializeProject(p));
        QCOMPARE(entriesOf(dir.path()), QStringList{"p.netloom"});
        struct stat st {};
        QVERIFY(::stat(path.c_str(), &st) == 0);
        QCOMPARE(int(st.st_mode & 0777), 0640);  // permissions of the replaced file are kept
        const std::string diff = diffProjects(loadProject(path), p);
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void saveOverFolderFailsCleanly() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("p.netloom"));
        const std::string path = dir.filePath("p.netloom").toStdString();
        const std::string m = errorOf([&] { saveProject(smallProject(), path); });
        QVERIFY2(m.rfind(path + ": cannot save: Is a directory", 0) == 0, m.c_str());
        QCOMPARE(entriesOf(dir.path()), QStringList{"p.netloom"});
    }

    // A write that fails midway (file size limit → EFBIG, works even as root) removes the temp
    // file and leaves the old file as it was.
    void failedWriteKeepsOriginal() {
        QTemporaryDir dir;
        const QString qpath = dir.filePath("p.netloom");
        const std::string path = qpath.toStdString();
        writeFileAtomically(path, "original");

        struct rlimit old {};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &old) == 0);
        auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 4096;
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        const std::string m = errorOf([&] { writeFileAtomically(path, std::string(100000, 'x')); });
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY2(m.rfind(path + ": cannot save: write failed: File too large", 0) == 0, m.c_str());
        QCOMPARE(readAll(qpath), std::string("original"));
        QCOMPARE(entriesOf(dir.path()), QStringList{"p.netloom"});
    }

    void readOnlyFolderKeepsOriginal() {
        if (::geteuid() == 0) QSKIP("root ignores folder permissions");
        QTemporaryDir dir;
        const QString qpath = dir.filePath("p.netloom");
        const std::string path = qpath.toStdString();
        writeFileAtomically(path, "original");
        QVERIFY(::chmod(dir.path().toLocal8Bit().constData(), 0555) == 0);
        const std::string m = errorOf([&] { saveProject(smallProject(), path); });
        ::chmod(dir.path().toLocal8Bit().constData(), 0755);
        QVERIFY2(m.rfind(path + ": cannot save: ", 0) == 0, m.c_str());
        QVERIFY2(m.find("Permission denied") != std::string::npos, m.c_str());
        QCOMPARE(readAll(qpath), std::string("original"));
        QCOMPARE(entriesOf(dir.path()), QStringList{"p.netloom"});
    }
};

QTEST_GUILESS_MAIN(TestProjectIo)
#include "test_project_io.moc"
