#pragma once
// Classification and regression metrics over batches of model outputs.
// Outputs are {N, C} logits or probabilities (the predicted class is the arg-max of a row; ties
// go to the lower index). A single column {N, 1} is a binary classifier: class 1 when the output
// is above binaryThreshold (0 for logits, 0.5 for probabilities). Labels are class indices
// stored as float, {N} or {N, 1}, as Dataset::fillBatch gives them.
#include <cstdint>
#include <vector>

#include "engine/core/tensor.h"

namespace netloom::engine {

// Predicted class of row i of an {N, C} output.
int64_t predictedClass(const Tensor& outputs, int64_t row, float binaryThreshold = 0.0f);

// Number of rows whose predicted class equals the label. Throws netloom::Error when the shapes
// disagree or a label is not a class index in range (naming the row).
int64_t countCorrect(const Tensor& outputs, const Tensor& labels, float binaryThreshold = 0.0f);
// countCorrect / N; 0 for an empty batch.
double accuracy(const Tensor& outputs, const Tensor& labels, float binaryThreshold = 0.0f);

// Counts of (actual class, predicted class) pairs.
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int numClasses = 0);

    int numClasses() const { return m_classes; }
    void reset();
    // Adds a batch: outputs {N, C} with C == numClasses (or C == 1 for two classes).
    void add(const Tensor& outputs, const Tensor& labels, float binaryThreshold = 0.0f);
    void add(int actual, int predicted, int64_t times = 1);
    // Adds another matrix of the same size (e.g. from another thread or batch range).
    void merge(const ConfusionMatrix& other);

    int64_t count(int actual, int predicted) const;
    int64_t total() const { return m_total; }
    int64_t actualCount(int c) const;     // row sum: samples whose label is c
    int64_t predictedCount(int c) const;  // column sum: samples predicted as c
    const std::vector<int64_t>& counts() const { return m_counts; }  // row-major actual×predicted

    // All metrics are 0 when undefined (no samples, or a zero denominator).
    double accuracy() const;
    double precision(int c) const;  // TP / (TP + FP)
    double recall(int c) const;     // TP / (TP + FN)
    double f1(int c) const;         // 2PR / (P + R)
    // Unweighted means over all classes (a class without samples counts as 0).
    double macroPrecision() const;
    double macroRecall() const;
    double macroF1() const;

private:
    void checkClass(int c, const char* what) const;
    int m_classes = 0;
    int64_t m_total = 0;
    std::vector<int64_t> m_counts;
};

// Regression errors over all elements; the tensors must hold the same number of values.
// 0 for empty tensors.
double meanSquaredError(const Tensor& predictions, const Tensor& targets);
double meanAbsoluteError(const Tensor& predictions, const Tensor& targets);

}  // namespace netloom::engine
