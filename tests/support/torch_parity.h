#pragma once
// Shared pieces of the PyTorch parity tests (recurrent layers, attention, LayerNorm): the
// deterministic inputs both sides compute from the same formula, the relative comparison
// against a reference tensor from a JSON fixture, and whether Debian's python3-torch is there.
#include <QProcess>
#include <QString>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "engine/core/tensor.h"
#include "test_support.h"

namespace netloom::test {

inline constexpr double kTorchRelTol = 1e-4;  // the issues' bound, relative to max |reference|
inline const char* kTorchPython = "/usr/bin/python3";  // Debian's python3, where torch lives

// sin or cos(a·i + b) over the flat index i: the fixtures' scripts build the same tensors.
inline engine::Tensor formulaTensor(std::vector<int64_t> dims, double a, double b, bool cosine) {
    engine::Tensor t(std::move(dims));
    for (int64_t i = 0; i < t.size(); ++i) {
        const double arg = a * static_cast<double>(i) + b;
        t[i] = static_cast<float>(cosine ? std::cos(arg) : std::sin(arg));
    }
    return t;
}

// max |ours − ref| ÷ max |ref| over one tensor; an empty string when within kTorchRelTol, else a
// message naming `what`. `worst` (optional) keeps the largest difference seen, for the log.
inline QString compareWithTorch(const engine::Tensor& ours, const nlohmann::json& ref,
                                const QString& what, double* worst = nullptr) {
    if (static_cast<int64_t>(ref.size()) != ours.size())
        return what + QString(": %1 values, PyTorch %2").arg(ours.size()).arg(ref.size());
    double maxDiff = 0, maxRef = 0;
    for (int64_t i = 0; i < ours.size(); ++i) {
        const double r = ref[size_t(i)].get<double>();
        maxDiff = std::max(maxDiff, std::fabs(double(ours[i]) - r));
        maxRef = std::max(maxRef, std::fabs(r));
    }
    const double rel = maxDiff / std::max(maxRef, 1e-12);
    if (worst) *worst = std::max(*worst, rel);
    if (!(rel <= kTorchRelTol))
        return what + QString(": relative difference %1 (max diff %2, max |PyTorch| %3)")
                          .arg(rel)
                          .arg(maxDiff)
                          .arg(maxRef);
    return {};
}

inline bool torchAvailable() {
    QProcess p;
    p.start(kTorchPython, {"-c", "import torch"});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Runs tests/data/SCRIPT with Debian's python3-torch, which writes a fresh reference JSON, and
// reads it into `doc`. Returns what went wrong, or an empty string.
inline QString runTorchReference(const std::string& script, nlohmann::json* doc) {
    const QString out = tempDir() + "/" + QString::fromStdString(script) + ".json";
    QProcess p;
    p.start(kTorchPython, {QString::fromStdString(dataFile(script)), out});
    if (!p.waitForFinished(300000)) return QString::fromStdString(script) + " did not finish";
    if (p.exitCode() != 0) return QString::fromUtf8(p.readAllStandardError());
    std::ifstream file(out.toStdString());
    if (!file) return out + " was not written";
    *doc = nlohmann::json::parse(file);
    return {};
}

}  // namespace netloom::test
