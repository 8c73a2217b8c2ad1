#pragma once
// Shared by the PyTorch export suites: a Python that has torch, running a command, and the
// relative difference the "Done when" figures use.
#include <QProcess>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/core/tensor.h"

namespace netloom::test {

// The first of $NETLOOM_PYTHON, python3 and /usr/bin/python3 that imports torch (Debian's
// python3-torch lives in the system Python; pyenv shims may shadow it), or empty.
inline QString torchPython() {
    static const QString found = [] {
        QStringList candidates{"python3", "/usr/bin/python3"};
        if (const char* env = std::getenv("NETLOOM_PYTHON")) candidates.prepend(env);
        for (const QString& c : candidates)
            if (QProcess::execute(c, {"-c", "import torch, numpy"}) == 0) return c;
        return QString();
    }();
    return found;
}

struct ProcessResult {
    int exitCode = -1;
    QString output;  // stdout and stderr
};

inline ProcessResult runProcess(
    const QString& program, const QStringList& args,
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 600000) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    ProcessResult r;
    if (!p.waitForStarted(20000)) {
        r.output = program + ": did not start";
        return r;
    }
    p.waitForFinished(timeoutMs);
    r.output = QString::fromLocal8Bit(p.readAll());
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

// max |a − b| over max |b|: the difference relative to the tensor's scale (b is the reference).
inline double relativeDifference(const engine::Tensor& a, const engine::Tensor& b) {
    if (a.size() != b.size()) return INFINITY;
    double diff = 0, scale = 1e-12;
    for (int64_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, static_cast<double>(std::fabs(a[i] - b[i])));
        scale = std::max(scale, static_cast<double>(std::fabs(b[i])));
    }
    return diff / scale;
}

}  // namespace netloom::test
