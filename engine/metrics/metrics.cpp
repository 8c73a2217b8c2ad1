#include "engine/metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/error.h"

namespace netloom::engine {

namespace {

// Rows and columns of an {N, C} output (rank 1 counts as {N, 1}).
void outputDims(const Tensor& outputs, int64_t& rows, int64_t& cols) {
    if (outputs.rank() < 1) throw Error("metrics: outputs have no batch axis");
    rows = outputs.dim(0);
    cols = rows > 0 ? outputs.size() / rows : 0;
}

int64_t labelAt(const Tensor& labels, int64_t row, int64_t classes) {
    const float v = labels[row];
    if (!(v >= 0.0f && v < static_cast<float>(classes)) || v != std::floor(v)) {
        throw Error("metrics: label " + std::to_string(v) + " of row " + std::to_string(row) +
                    " is not a class index in 0.." + std::to_string(classes - 1));
    }
    return static_cast<int64_t>(v);
}

int64_t checkedRows(const Tensor& outputs, const Tensor& labels, int64_t& cols) {
    int64_t rows = 0;
    outputDims(outputs, rows, cols);
    if (labels.size() != rows) {
        throw Error("metrics: " + std::to_string(rows) + " outputs but " +
                    std::to_string(labels.size()) + " labels");
    }
    if (rows > 0 && cols < 1) throw Error("metrics: outputs have no classes");
    return rows;
}

}  // namespace

int64_t predictedClass(const Tensor& outputs, int64_t row, float binaryThreshold) {
    int64_t rows = 0, cols = 0;
    outputDims(outputs, rows, cols);
    if (row < 0 || row >= rows)
        throw Error("metrics: row " + std::to_string(row) + " out of range");
    const float* p = outputs.data() + row * cols;
    if (cols == 1) return p[0] > binaryThreshold ? 1 : 0;
    int64_t best = 0;
    for (int64_t c = 1; c < cols; ++c)
        if (p[c] > p[best]) best = c;
    return best;
}

int64_t countCorrect(const Tensor& outputs, const Tensor& labels, float binaryThreshold) {
    int64_t cols = 0;
    const int64_t rows = checkedRows(outputs, labels, cols);
    const int64_t classes = cols == 1 ? 2 : cols;
    int64_t correct = 0;
    for (int64_t i = 0; i < rows; ++i)
        correct += predictedClass(outputs, i, binaryThreshold) == labelAt(labels, i, classes);
    return correct;
}

double accuracy(const Tensor& outputs, const Tensor& labels, float binaryThreshold) {
    const int64_t rows = outputs.rank() >= 1 ? outputs.dim(0) : 0;
    const int64_t correct = countCorrect(outputs, labels, binaryThreshold);
    return rows > 0 ? static_cast<double>(correct) / static_cast<double>(rows) : 0.0;
}

ConfusionMatrix::ConfusionMatrix(int numClasses) : m_classes(numClasses) {
    if (numClasses < 0 || numClasses > 100000)
        throw Error("confusion matrix: number of classes must be 0..100000");
    m_counts.assign(static_cast<size_t>(numClasses) * static_cast<size_t>(numClasses), 0);
}

void ConfusionMatrix::reset() {
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_total = 0;
}

void ConfusionMatrix::checkClass(int c, const char* what) const {
    if (c < 0 || c >= m_classes) {
        throw Error(std::string("confusion matrix: ") + what + " class " + std::to_string(c) +
                    " is out of range 0.." + std::to_string(m_classes - 1));
    }
}

void ConfusionMatrix::add(int actual, int predicted, int64_t times) {
    checkClass(actual, "actual");
    checkClass(predicted, "predicted");
    m_counts[static_cast<size_t>(actual) * m_classes + predicted] += times;
    m_total += times;
}

void ConfusionMatrix::add(const Tensor& outputs, const Tensor& labels, float binaryThreshold) {
    int64_t cols = 0;
    const int64_t rows = checkedRows(outputs, labels, cols);
    if (rows == 0) return;
    const int64_t classes = cols == 1 ? 2 : cols;
    if (classes != m_classes) {
        throw Error("confusion matrix: outputs have " + std::to_string(cols) +
                    " columns, the matrix has " + std::to_string(m_classes) + " classes");
    }
    for (int64_t i = 0; i < rows; ++i) {
        add(static_cast<int>(labelAt(labels, i, classes)),
            static_cast<int>(predictedClass(outputs, i, binaryThreshold)));
    }
}

void ConfusionMatrix::merge(const ConfusionMatrix& other) {
    if (other.m_classes != m_classes) {
        throw Error("confusion matrix: cannot merge " + std::to_string(other.m_classes) +
                    " classes into " + std::to_string(m_classes));
    }
    for (size_t i = 0; i < m_counts.size(); ++i) m_counts[i] += other.m_counts[i];
    m_total += other.m_total;
}

int64_t ConfusionMatrix::count(int actual, int predicted) const {
    checkClass(actual, "actual");
    checkClass(predicted, "predicted");
    return m_counts[static_cast<size_t>(actual) * m_classes + predicted];
}

int64_t ConfusionMatrix::actualCount(int c) const {
    checkClass(c, "actual");
    int64_t sum = 0;
    for (int p = 0; p < m_classes; ++p) sum += m_counts[static_cast<size_t>(c) * m_classes + p];
    return sum;
}

int64_t ConfusionMatrix::predictedCount(int c) const {
    checkClass(c, "predicted");
    int64_t sum = 0;
    for (int a = 0; a < m_classes; ++a) sum += m_counts[static_cast<size_t>(a) * m_classes + c];
    return sum;
}

static double ratio(int64_t num, int64_t den) {
    return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

double ConfusionMatrix::accuracy() const {
    int64_t diagonal = 0;
    for (int c = 0; c < m_classes; ++c)
        diagonal += m_counts[static_cast<size_t>(c) * m_classes + c];
    return ratio(diagonal, m_total);
}

double ConfusionMatrix::precision(int c) const {
    return ratio(count(c, c), predictedCount(c));
}
double ConfusionMatrix::recall(int c) const {
    return ratio(count(c, c), actualCount(c));
}

double ConfusionMatrix::f1(int c) const {
    const double p = precision(c), r = recall(c);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double ConfusionMatrix::macroPrecision() const {
    double sum = 0;
    for (int c = 0; c < m_classes; ++c) sum += precision(c);
    return m_classes > 0 ? sum / m_classes : 0.0;
}

double ConfusionMatrix::macroRecall() const {
    double sum = 0;
    for (int c = 0; c < m_classes; ++c) sum += recall(c);
    return m_classes > 0 ? sum / m_classes : 0.0;
}

double ConfusionMatrix::macroF1() const {
    double sum = 0;
    for (int c = 0; c < m_classes; ++c) sum += f1(c);
    return m_classes > 0 ? sum / m_classes : 0.0;
}

namespace {
template <typename F>
double meanOver(const Tensor& predictions, const Tensor& targets, const char* name, F term) {
    if (predictions.size() != targets.size()) {
        throw Error(std::string(name) + ": " + std::to_string(predictions.size()) +
                    " predictions but " + std::to_string(targets.size()) + " targets");
    }
    const int64_t n = predictions.size();
    if (n == 0) return 0.0;
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
        sum += term(static_cast<double>(predictions[i]) - static_cast<double>(targets[i]));
    return sum / static_cast<double>(n);
}
}  // namespace

double meanSquaredError(const Tensor& predictions, const Tensor& targets) {
    return meanOver(predictions, targets, "mean squared error", [](double d) { return d * d; });
}

double meanAbsoluteError(const Tensor& predictions, const Tensor& targets) {
    return meanOver(predictions, targets, "mean absolute error",
                    [](double d) { return std::abs(d); });
}

}  // namespace netloom::engine
