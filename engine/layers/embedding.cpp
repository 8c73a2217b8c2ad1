// Embedding: token ids → learned vectors, like PyTorch's nn.Embedding (weight {vocabulary, dim},
// initialised N(0, 1)). The input is a batch of ids stored as floats ({N, T}, as a token dataset
// delivers them); the output is the sequence {T, dim}. Backward scatter-adds each step's gradient
// into its id's row; the ids themselves get a zero gradient (they are not differentiable).
#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class EmbeddingLayer final : public SingleOutputLayer {
public:
    EmbeddingLayer(int64_t steps, int64_t vocabulary, int64_t dim)
        : m_steps(steps), m_vocabulary(vocabulary), m_dim(dim) {
        m_weight.name = "weight";
        m_weight.value.resize({vocabulary, dim});
        m_weight.grad.resize({vocabulary, dim});
        m_weight.value.zero();
        m_weight.decay = true;
    }

    void prepare(int64_t, ComputeContext&) override {}

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const Tensor& ids = *in[0];
        const float* w = m_weight.value.data();
        for (int64_t i = 0; i < ids.size(); ++i)
            std::memcpy(out.data() + i * m_dim, w + tokenAt(ids, i) * m_dim,
                        sizeof(float) * size_t(m_dim));
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        const Tensor& ids = *in[0];
        m_weight.grad.zero();
        float* gw = m_weight.grad.data();
        for (int64_t i = 0; i < ids.size(); ++i) {
            float* row = gw + tokenAt(ids, i) * m_dim;
            const float* g = gradOut.data() + i * m_dim;
            for (int64_t j = 0; j < m_dim; ++j) row[j] += g[j];
        }
        if (!gradIn.empty() && gradIn[0]) gradIn[0]->zero();
    }

    std::vector<Parameter*> parameters() override { return {&m_weight}; }

    void initialize(Rng& rng, InitScheme scheme) override {
        if (scheme == InitScheme::Default) {  // PyTorch: N(0, 1)
            for (int64_t i = 0; i < m_weight.value.size(); ++i) m_weight.value[i] = rng.normal();
        } else {
            initWeights(m_weight.value, m_dim, m_vocabulary, scheme, rng);
        }
    }

private:
    // The id at flat position i, or an error naming the sample, the step and the vocabulary.
    int64_t tokenAt(const Tensor& ids, int64_t i) const {
        const float x = ids[i];
        const double id = std::nearbyint(static_cast<double>(x));
        if (!(std::fabs(x - id) < 0.01) || id < 0 || id >= static_cast<double>(m_vocabulary))
            throw Error("Embedding: sample " + std::to_string(i / m_steps + 1) + ", step " +
                        std::to_string(i % m_steps + 1) + " holds " + std::to_string(x) +
                        ", which is not a token id in 0.." + std::to_string(m_vocabulary - 1) +
                        ": set 'Vocabulary size' to at least the data's vocabulary");
        return static_cast<int64_t>(id);
    }

    int64_t m_steps, m_vocabulary, m_dim;
    Parameter m_weight;
};

// ---- ONNX export: the float ids Cast to int64 index the rows of the table (Gather, axis 0).
const OnnxHookFn kEmbeddingOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const Tensor& w = n.weight("weight");
    const std::string table =
        out.addFloats(n.name + ".weight", {w.dim(0), w.dim(1)}, onnxValues(w));
    const std::string ids = out.freshName(n.name + ".ids");
    out.addNode("Cast", {n.inputs.at(0)}, {ids}, {{"to", int64_t{7}}});  // 7: INT64
    out.addNode("Gather", {table, ids}, {n.outputs.at(0)}, {{"axis", int64_t{0}}});
});

// ---- PyTorch export: nn.Embedding on the ids made integers.
const PyTorchExportHook kEmbeddingPyTorch([](const PyTorchNode& n) {
    return PyTorchModule{"nn.Embedding(" + std::to_string(n.params.getInt("vocabulary")) + ", " +
                             std::to_string(n.params.getInt("dim")) + ")",
                         "{m}({0}.long())",
                         {{"weight", "weight"}}};
});

class EmbeddingDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Embedding"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kEmbeddingOnnx;
        if (format == kPyTorchFormat) return &kEmbeddingPyTorch;
        return nullptr;
    }
    std::string category() const override { return "Recurrent"; }
    std::string description() const override {
        return "Turns token ids (characters, words) into learned vectors: a lookup table with one "
               "row per token. Input: a sequence of ids; output: steps × vector size, ready for "
               "an LSTM, GRU or SimpleRNN.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("vocabulary", "Vocabulary size", 64, 1, 1 << 20,
                                   "Number of distinct token ids (ids 0 … size − 1); at least "
                                   "the dataset's vocabulary"),
                ParamSpec::integer("dim", "Vector size", 32, 1, 4096,
                                   "Length of each token's learned vector")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        if (in[0].rank() != 1)
            throw Error("expects a sequence of token ids (one number per step), got " +
                        in[0].toString() + ": feed it from a text dataset's input");
        return Shape::sequenceOf({in[0][0], p.getInt("dim")});
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params& p) const override {
        return p.getInt("vocabulary") * p.getInt("dim");
    }
    // A lookup: one copy per value, no arithmetic.
    int64_t flops(const std::vector<Shape>&, const Shape&, const Params&) const override {
        return 0;
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{5}}; }
    std::vector<LayerExample> examples() const override {
        Params p;
        p.set("vocabulary", int64_t{7});
        p.set("dim", int64_t{3});
        LayerExample row{"default", normalizeParams(schema(), p, type()), {Shape{5}}};
        row.tokenIds = 7;
        return {row};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<EmbeddingLayer>(in[0][0], p.getInt("vocabulary"), p.getInt("dim"));
    }
};

}  // namespace

const LayerDef& embeddingLayerDef() {
    static const EmbeddingDef def;
    return def;
}

}  // namespace netloom::engine
