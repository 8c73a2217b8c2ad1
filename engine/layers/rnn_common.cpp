#include "engine/layers/rnn_common.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {

int recurrentGates(RecurrentCell cell) {
    switch (cell) {
        case RecurrentCell::Lstm:
            return 4;
        case RecurrentCell::Gru:
            return 3;
        default:
            return 1;
    }
}

namespace {

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

bool isGru(RecurrentCell c) {
    return c == RecurrentCell::Gru;
}
bool isLstm(RecurrentCell c) {
    return c == RecurrentCell::Lstm;
}
// oneDNN's lbr_gru keeps a fourth bias block (the hidden part of the candidate gate).
int64_t dnnlBiasGates(RecurrentCell c) {
    return isGru(c) ? 4 : recurrentGates(c);
}
// oneDNN gate block g holds PyTorch gate block gateSource(g): GRU r,z,n → oneDNN u(z),r,o(n).
int gateSource(RecurrentCell c, int g) {
    if (!isGru(c) || g == 2) return g;
    return 1 - g;
}

memory::dims dims(std::initializer_list<int64_t> d) {
    return memory::dims(d.begin(), d.end());
}

// The oneDNN side of one stacked layer for one batch size.
struct Level {
    primitive fwd, bwd;
    // User (PyTorch-order) weights in ldgoi and the layouts each primitive picked.
    memory wLayerUser, wIterUser, wLayerFwd, wIterFwd, wLayerBwd, wIterBwd;
    reorder toFwdLayer, toFwdIter, toBwdLayer, toBwdIter;
    bool fwdReorders = false, bwdReorders = false;
    memory bias;  // ldgo, the summed biases
    memory diffWLayer, diffWIter, diffBias, diffWLayerUser, diffWIterUser;
    reorder fromDiffLayer, fromDiffIter;
    bool diffReorders = false;
    memory src, dst, dstIter, dstIterC, workspace;
    memory diffSrc, diffDst, diffDstIter, diffDstIterC;
};

struct Prims {
    std::vector<Level> levels;
};

class RecurrentLayer final : public Layer {
public:
    explicit RecurrentLayer(const RecurrentConfig& c) : m_c(c) {
        const int64_t g = recurrentGates(c.cell), h = c.hidden;
        for (int64_t l = 0; l < c.layers; ++l) {
            const std::string s = "_l" + std::to_string(l);
            const int64_t in = l == 0 ? c.inputs : h;
            m_params.push_back(makeParam("weight_ih" + s, {g * h, in}, true));
            m_params.push_back(makeParam("weight_hh" + s, {g * h, h}, true));
            m_params.push_back(makeParam("bias_ih" + s, {g * h}, false));
            m_params.push_back(makeParam("bias_hh" + s, {g * h}, false));
        }
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_batch = batch;
        m_scratch.resize({batch, m_c.steps, m_c.inputs});  // per batch: cached sizes alternate
        m_cache.select({batch}, [&] { return build(batch, ctx); });
    }

    void forward(const std::vector<const Tensor*>& in, const std::vector<Tensor*>& out,
                 bool training) override {
        Prims& p = *m_cache;
        stream& s = m_ctx->dnnl().stream;
        stageWeights(p);
        const int64_t n = m_batch, t = m_c.steps, h = m_c.hidden;
        for (size_t l = 0; l < p.levels.size(); ++l) {
            Level& v = p.levels[l];
            if (l == 0) v.src.set_data_handle(const_cast<float*>(in[0]->data()));
            if (v.fwdReorders) {
                v.toFwdLayer.execute(s, v.wLayerUser, v.wLayerFwd);
                v.toFwdIter.execute(s, v.wIterUser, v.wIterFwd);
            }
            std::unordered_map<int, memory> args{
                {DNNL_ARG_SRC_LAYER, v.src},         {DNNL_ARG_WEIGHTS_LAYER, v.wLayerFwd},
                {DNNL_ARG_WEIGHTS_ITER, v.wIterFwd}, {DNNL_ARG_BIAS, v.bias},
                {DNNL_ARG_DST_LAYER, v.dst},         {DNNL_ARG_DST_ITER, v.dstIter},
                {DNNL_ARG_WORKSPACE, v.workspace}};
            if (isLstm(m_c.cell)) args[DNNL_ARG_DST_ITER_C] = v.dstIterC;
            v.fwd.execute(s, args);
        }
        s.wait();
        // dst_layer is ntc = {N, T, H}: what a sequence output is; the last step is row T − 1.
        const Level& top = p.levels.back();
        const float* seq = static_cast<const float*>(top.dst.get_data_handle());
        if (m_c.returnSequences) {
            std::memcpy(out[0]->data(), seq, sizeof(float) * size_t(n * t * h));
        } else {
            for (int64_t b = 0; b < n; ++b)
                std::memcpy(out[0]->data() + b * h, seq + (b * t + t - 1) * h,
                            sizeof(float) * size_t(h));
        }
        if (out.size() > 1)
            std::memcpy(out[1]->data(), top.dstIter.get_data_handle(),
                        sizeof(float) * size_t(n * h));
        if (out.size() > 2)
            std::memcpy(out[2]->data(), top.dstIterC.get_data_handle(),
                        sizeof(float) * size_t(n * h));
    }

    void backward(const std::vector<const Tensor*>& in, const std::vector<const Tensor*>&,
                  const std::vector<const Tensor*>& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_cache;
        stream& s = m_ctx->dnnl().stream;
        const int64_t n = m_batch, t = m_c.steps, h = m_c.hidden;
        const size_t top = p.levels.size() - 1;
        // The top layer's output gradients: the sequence (or only its last step) and the final
        // states; an absent gradient is zero.
        {
            Level& v = p.levels[top];
            float* dd = static_cast<float*>(v.diffDst.get_data_handle());
            const Tensor* g0 = gradOut.empty() ? nullptr : gradOut[0];
            if (m_c.returnSequences && g0) {
                std::memcpy(dd, g0->data(), sizeof(float) * size_t(n * t * h));
            } else {
                std::fill(dd, dd + n * t * h, 0.0f);
                if (g0)
                    for (int64_t b = 0; b < n; ++b)
                        std::memcpy(dd + (b * t + t - 1) * h, g0->data() + b * h,
                                    sizeof(float) * size_t(h));
            }
            copyOrZero(v.diffDstIter, gradOut.size() > 1 ? gradOut[1] : nullptr, n * h);
            if (isLstm(m_c.cell))
                copyOrZero(v.diffDstIterC, gradOut.size() > 2 ? gradOut[2] : nullptr, n * h);
        }
        for (size_t l = p.levels.size(); l-- > 0;) {
            Level& v = p.levels[l];
            if (l == 0) v.src.set_data_handle(const_cast<float*>(in[0]->data()));
            if (l == 0 && !gradIn.empty() && gradIn[0])
                v.diffSrc.set_data_handle(gradIn[0]->data());
            else if (l == 0)
                v.diffSrc.set_data_handle(m_scratch.data());
            if (v.bwdReorders) {
                v.toBwdLayer.execute(s, v.wLayerUser, v.wLayerBwd);
                v.toBwdIter.execute(s, v.wIterUser, v.wIterBwd);
            }
            // oneDNN 2.6 accumulates into the diff weights: zero them first.
            zeroMemory(v.diffWLayer);
            zeroMemory(v.diffWIter);
            zeroMemory(v.diffBias);
            std::unordered_map<int, memory> args{{DNNL_ARG_SRC_LAYER, v.src},
                                                 {DNNL_ARG_WEIGHTS_LAYER, v.wLayerBwd},
                                                 {DNNL_ARG_WEIGHTS_ITER, v.wIterBwd},
                                                 {DNNL_ARG_BIAS, v.bias},
                                                 {DNNL_ARG_DST_LAYER, v.dst},
                                                 {DNNL_ARG_DST_ITER, v.dstIter},
                                                 {DNNL_ARG_WORKSPACE, v.workspace},
                                                 {DNNL_ARG_DIFF_SRC_LAYER, v.diffSrc},
                                                 {DNNL_ARG_DIFF_WEIGHTS_LAYER, v.diffWLayer},
                                                 {DNNL_ARG_DIFF_WEIGHTS_ITER, v.diffWIter},
                                                 {DNNL_ARG_DIFF_BIAS, v.diffBias},
                                                 {DNNL_ARG_DIFF_DST_LAYER, v.diffDst},
                                                 {DNNL_ARG_DIFF_DST_ITER, v.diffDstIter}};
            if (isLstm(m_c.cell)) {
                args[DNNL_ARG_DST_ITER_C] = v.dstIterC;
                args[DNNL_ARG_DIFF_DST_ITER_C] = v.diffDstIterC;
            }
            v.bwd.execute(s, args);
            if (v.diffReorders) {
                v.fromDiffLayer.execute(s, v.diffWLayer, v.diffWLayerUser);
                v.fromDiffIter.execute(s, v.diffWIter, v.diffWIterUser);
            }
            s.wait();
            unstageGradients(v, l);
        }
    }

    std::vector<Parameter*> parameters() override {
        std::vector<Parameter*> out;
        for (Parameter& p : m_params) out.push_back(&p);
        return out;
    }

    // PyTorch's default for RNN, LSTM and GRU: every weight and bias ~ U(±1/√H). He and Xavier
    // apply to the weight matrices (fan-in = the matrix's columns), biases then start at zero.
    void initialize(Rng& rng, InitScheme scheme) override {
        const float bound = 1.0f / std::sqrt(static_cast<float>(m_c.hidden));
        for (Parameter& p : m_params) {
            if (scheme == InitScheme::Default) {
                for (int64_t i = 0; i < p.value.size(); ++i)
                    p.value[i] = rng.uniform(-bound, bound);
            } else if (p.value.rank() == 2) {
                initWeights(p.value, p.value.dim(1), p.value.dim(0), scheme, rng);
            } else {
                p.value.zero();
            }
        }
    }

private:
    static Parameter makeParam(const std::string& name, std::vector<int64_t> d, bool decay) {
        Parameter p;
        p.name = name;
        p.value.resize(d);
        p.grad.resize(d);
        p.value.zero();
        p.decay = decay;
        return p;
    }

    Parameter& param(size_t level, int which) { return m_params[level * 4 + size_t(which)]; }

    static void zeroMemory(memory& m) {
        std::memset(m.get_data_handle(), 0, m.get_desc().get_size());
    }
    static void copyOrZero(memory& m, const Tensor* g, int64_t count) {
        float* d = static_cast<float*>(m.get_data_handle());
        if (g)
            std::memcpy(d, g->data(), sizeof(float) * size_t(count));
        else
            std::fill(d, d + count, 0.0f);
    }

    // PyTorch weights → oneDNN's gate order in ldgoi (GRU swaps blocks), biases summed into ldgo.
    void stageWeights(Prims& p) {
        const int64_t g = recurrentGates(m_c.cell), h = m_c.hidden;
        for (size_t l = 0; l < p.levels.size(); ++l) {
            Level& v = p.levels[l];
            const int64_t in = l == 0 ? m_c.inputs : h;
            copyGates(param(l, 0).value.data(), static_cast<float*>(v.wLayerUser.get_data_handle()),
                      g, h * in, false);
            copyGates(param(l, 1).value.data(), static_cast<float*>(v.wIterUser.get_data_handle()),
                      g, h * h, false);
            const float* bi = param(l, 2).value.data();
            const float* bh = param(l, 3).value.data();
            float* b = static_cast<float*>(v.bias.get_data_handle());
            for (int gate = 0; gate < g; ++gate) {
                const int64_t from = gateSource(m_c.cell, gate) * h;
                for (int64_t j = 0; j < h; ++j) b[gate * h + j] = bi[from + j] + bh[from + j];
            }
            if (isGru(m_c.cell))  // [z, r, n_input, n_hidden]: the candidate's parts stay apart
                for (int64_t j = 0; j < h; ++j) {
                    b[2 * h + j] = bi[2 * h + j];
                    b[3 * h + j] = bh[2 * h + j];
                }
        }
    }

    // Copies g blocks of `block` floats between PyTorch order and oneDNN order.
    void copyGates(const float* from, float* to, int64_t g, int64_t block, bool toPytorch) const {
        for (int gate = 0; gate < g; ++gate) {
            const int64_t other = gateSource(m_c.cell, gate);
            if (toPytorch)
                std::memcpy(to + other * block, from + gate * block, sizeof(float) * size_t(block));
            else
                std::memcpy(to + gate * block, from + other * block, sizeof(float) * size_t(block));
        }
    }

    // oneDNN's diff weights and bias → the PyTorch parameters' gradients (both biases of a gate
    // get the summed bias's gradient; GRU's candidate gate keeps its two parts).
    void unstageGradients(Level& v, size_t l) {
        const int64_t g = recurrentGates(m_c.cell), h = m_c.hidden;
        const int64_t in = l == 0 ? m_c.inputs : h;
        copyGates(static_cast<const float*>(v.diffWLayerUser.get_data_handle()),
                  param(l, 0).grad.data(), g, h * in, true);
        copyGates(static_cast<const float*>(v.diffWIterUser.get_data_handle()),
                  param(l, 1).grad.data(), g, h * h, true);
        const float* db = static_cast<const float*>(v.diffBias.get_data_handle());
        float* gi = param(l, 2).grad.data();
        float* gh = param(l, 3).grad.data();
        for (int gate = 0; gate < g; ++gate) {
            const int64_t to = gateSource(m_c.cell, gate) * h;
            for (int64_t j = 0; j < h; ++j) gi[to + j] = gh[to + j] = db[gate * h + j];
        }
        if (isGru(m_c.cell))
            for (int64_t j = 0; j < h; ++j) gh[2 * h + j] = db[3 * h + j];
    }

    Prims build(int64_t n, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        const int64_t t = m_c.steps, h = m_c.hidden, g = recurrentGates(m_c.cell);
        const int64_t gb = dnnlBiasGates(m_c.cell);
        const memory::desc none;
        Prims p;
        for (int64_t l = 0; l < m_c.layers; ++l) {
            const int64_t in = l == 0 ? m_c.inputs : h;
            // A batch {N, T, F} is oneDNN's ntc as it is.
            const memory::desc srcMd(dims({t, n, in}), dt::f32, tag::ntc);
            const memory::desc dstMd(dims({t, n, h}), dt::f32, tag::ntc);
            const memory::desc iterMd(dims({1, 1, n, h}), dt::f32, tag::ldnc);
            const memory::desc wLayerUser(dims({1, 1, in, g, h}), dt::f32, tag::ldgoi);
            const memory::desc wIterUser(dims({1, 1, h, g, h}), dt::f32, tag::ldgoi);
            const memory::desc wLayerAny(dims({1, 1, in, g, h}), dt::f32, tag::any);
            const memory::desc wIterAny(dims({1, 1, h, g, h}), dt::f32, tag::any);
            const memory::desc biasMd(dims({1, 1, gb, h}), dt::f32, tag::ldgo);
            const memory::desc iterCMd = isLstm(m_c.cell) ? iterMd : none;
            const auto dir = rnn_direction::unidirectional_left2right;
            const auto fwdProp = prop_kind::forward_training;
            Level v;
            memory::desc fwdWl, fwdWi, bwdWl, bwdWi, diffWl, diffWi, wsMd;
            if (isLstm(m_c.cell)) {
                lstm_forward::desc fd(fwdProp, dir, srcMd, none, none, wLayerAny, wIterAny, biasMd,
                                      dstMd, iterMd, iterCMd);
                lstm_forward::primitive_desc fpd(fd, eng);
                lstm_backward::desc bd(prop_kind::backward, dir, srcMd, none, none, wLayerAny,
                                       wIterAny, biasMd, dstMd, iterMd, iterCMd, srcMd, none, none,
                                       wLayerAny, wIterAny, biasMd, dstMd, iterMd, iterCMd);
                lstm_backward::primitive_desc bpd(bd, eng, fpd);
                v.fwd = lstm_forward(fpd);
                v.bwd = lstm_backward(bpd);
                fwdWl = fpd.weights_layer_desc(), fwdWi = fpd.weights_iter_desc();
                bwdWl = bpd.weights_layer_desc(), bwdWi = bpd.weights_iter_desc();
                diffWl = bpd.diff_weights_layer_desc(), diffWi = bpd.diff_weights_iter_desc();
                wsMd = fpd.workspace_desc();
            } else if (isGru(m_c.cell)) {
                lbr_gru_forward::desc fd(fwdProp, dir, srcMd, none, wLayerAny, wIterAny, biasMd,
                                         dstMd, iterMd);
                lbr_gru_forward::primitive_desc fpd(fd, eng);
                lbr_gru_backward::desc bd(prop_kind::backward, dir, srcMd, none, wLayerAny,
                                          wIterAny, biasMd, dstMd, iterMd, srcMd, none, wLayerAny,
                                          wIterAny, biasMd, dstMd, iterMd);
                lbr_gru_backward::primitive_desc bpd(bd, eng, fpd);
                v.fwd = lbr_gru_forward(fpd);
                v.bwd = lbr_gru_backward(bpd);
                fwdWl = fpd.weights_layer_desc(), fwdWi = fpd.weights_iter_desc();
                bwdWl = bpd.weights_layer_desc(), bwdWi = bpd.weights_iter_desc();
                diffWl = bpd.diff_weights_layer_desc(), diffWi = bpd.diff_weights_iter_desc();
                wsMd = fpd.workspace_desc();
            } else {
                const algorithm act = m_c.cell == RecurrentCell::VanillaRelu
                                          ? algorithm::eltwise_relu
                                          : algorithm::eltwise_tanh;
                vanilla_rnn_forward::desc fd(fwdProp, act, dir, srcMd, none, wLayerAny, wIterAny,
                                             biasMd, dstMd, iterMd);
                vanilla_rnn_forward::primitive_desc fpd(fd, eng);
                vanilla_rnn_backward::desc bd(prop_kind::backward, act, dir, srcMd, none, wLayerAny,
                                              wIterAny, biasMd, dstMd, iterMd, srcMd, none,
                                              wLayerAny, wIterAny, biasMd, dstMd, iterMd);
                vanilla_rnn_backward::primitive_desc bpd(bd, eng, fpd);
                v.fwd = vanilla_rnn_forward(fpd);
                v.bwd = vanilla_rnn_backward(bpd);
                fwdWl = fpd.weights_layer_desc(), fwdWi = fpd.weights_iter_desc();
                bwdWl = bpd.weights_layer_desc(), bwdWi = bpd.weights_iter_desc();
                diffWl = bpd.diff_weights_layer_desc(), diffWi = bpd.diff_weights_iter_desc();
                wsMd = fpd.workspace_desc();
            }
            v.wLayerUser = memory(wLayerUser, eng);
            v.wIterUser = memory(wIterUser, eng);
            v.fwdReorders = fwdWl != wLayerUser || fwdWi != wIterUser;
            v.wLayerFwd = v.fwdReorders ? memory(fwdWl, eng) : v.wLayerUser;
            v.wIterFwd = v.fwdReorders ? memory(fwdWi, eng) : v.wIterUser;
            if (v.fwdReorders) {
                v.toFwdLayer = reorder(v.wLayerUser, v.wLayerFwd);
                v.toFwdIter = reorder(v.wIterUser, v.wIterFwd);
            }
            v.bwdReorders = bwdWl != wLayerUser || bwdWi != wIterUser;
            v.wLayerBwd = v.bwdReorders ? memory(bwdWl, eng) : v.wLayerUser;
            v.wIterBwd = v.bwdReorders ? memory(bwdWi, eng) : v.wIterUser;
            if (v.bwdReorders) {
                v.toBwdLayer = reorder(v.wLayerUser, v.wLayerBwd);
                v.toBwdIter = reorder(v.wIterUser, v.wIterBwd);
            }
            v.bias = memory(biasMd, eng);
            v.diffWLayer = memory(diffWl, eng);
            v.diffWIter = memory(diffWi, eng);
            v.diffBias = memory(biasMd, eng);
            v.diffReorders = diffWl != wLayerUser || diffWi != wIterUser;
            v.diffWLayerUser = v.diffReorders ? memory(wLayerUser, eng) : v.diffWLayer;
            v.diffWIterUser = v.diffReorders ? memory(wIterUser, eng) : v.diffWIter;
            if (v.diffReorders) {
                v.fromDiffLayer = reorder(v.diffWLayer, v.diffWLayerUser);
                v.fromDiffIter = reorder(v.diffWIter, v.diffWIterUser);
            }
            // Layer l reads layer l − 1's output and writes its input gradient there.
            if (l == 0) {
                v.src = memory(srcMd, eng, nullptr);
                v.diffSrc = memory(srcMd, eng, nullptr);
            } else {
                v.src = p.levels.back().dst;
                v.diffSrc = p.levels.back().diffDst;
            }
            v.dst = memory(dstMd, eng);
            v.diffDst = memory(dstMd, eng);
            v.dstIter = memory(iterMd, eng);
            v.diffDstIter = memory(iterMd, eng);
            zeroMemory(v.diffDstIter);  // lower layers' final states feed nothing
            if (isLstm(m_c.cell)) {
                v.dstIterC = memory(iterMd, eng);
                v.diffDstIterC = memory(iterMd, eng);
                zeroMemory(v.diffDstIterC);
            }
            v.workspace = memory(wsMd, eng);
            p.levels.push_back(std::move(v));
        }
        return p;
    }

    RecurrentConfig m_c;
    std::vector<Parameter> m_params;
    ComputeContext* m_ctx = nullptr;
    int64_t m_batch = 0;
    Tensor m_scratch;  // the input gradient nobody asked for
    PrimitiveCache<Prims> m_cache;
};

}  // namespace

std::unique_ptr<Layer> createRecurrentLayer(const RecurrentConfig& config) {
    return std::make_unique<RecurrentLayer>(config);
}

// ---- the def ----

ParamSchema RecurrentDef::schema() const {
    return {ParamSpec::integer("units", "Hidden size", 64, 1, 4096,
                               "Size of the hidden state: how many numbers the layer carries "
                               "from one step to the next (PyTorch's hidden_size)"),
            ParamSpec::integer("layers", "Stacked layers", 1, 1, 8,
                               "Recurrent layers on top of each other; each reads the whole "
                               "output sequence of the one below"),
            ParamSpec::boolean("return_sequences", "Return sequences", false,
                               "On: output the hidden state of every step (steps × hidden size, "
                               "a sequence for another recurrent layer or a per-step Dense). "
                               "Off: output only the last step's (hidden size)")};
}

int RecurrentDef::outputCount(const Params& params) const {
    const RecurrentCell c = cell(params);
    return isLstm(c) ? 3 : isGru(c) ? 2 : 1;
}

PortInfo RecurrentDef::ports(const Params& params) const {
    PortInfo info{{"in"}, {"out"}};
    if (outputCount(params) > 1) info.outputs.push_back("h");
    if (outputCount(params) > 2) info.outputs.push_back("c");
    return info;
}

RecurrentConfig RecurrentDef::config(const std::vector<Shape>& in, const Params& p) const {
    const Shape& s = in.at(0);
    if (!s.sequence || s.rank() != 2)
        throw Error("expects a sequence (steps × features), got " + s.toString() +
                    ": insert Reshape with 'Sequence' on (e.g. 28,28 for an image read row by "
                    "row) or an Embedding");
    RecurrentConfig c;
    c.cell = cell(p);
    c.steps = s[0];
    c.inputs = s[1];
    c.hidden = p.getInt("units");
    c.layers = p.getInt("layers");
    c.returnSequences = p.getBool("return_sequences");
    c.outputs = outputCount(p);
    return c;
}

std::vector<Shape> RecurrentDef::inferShapes(const std::vector<Shape>& in, const Params& p) const {
    const RecurrentConfig c = config(in, p);
    std::vector<Shape> out{c.returnSequences ? Shape::sequenceOf({c.steps, c.hidden})
                                             : Shape{c.hidden}};
    for (int k = 1; k < c.outputs; ++k) out.push_back(Shape{c.hidden});
    return out;
}

int64_t RecurrentDef::parameterCount(const std::vector<Shape>& in, const Params& p) const {
    const RecurrentConfig c = config(in, p);
    const int64_t gh = recurrentGates(c.cell) * c.hidden;
    int64_t n = 0;
    for (int64_t l = 0; l < c.layers; ++l)
        n += gh * ((l == 0 ? c.inputs : c.hidden) + c.hidden) + 2 * gh;
    return n;
}

// Per sample: every step of every layer multiplies its input and its state by the gate
// matrices (a multiply-add counts 2) and applies the gates element-wise (~4 per gate value).
int64_t RecurrentDef::flops(const std::vector<Shape>& in, const std::vector<Shape>&,
                            const Params& p) const {
    const RecurrentConfig c = config(in, p);
    const int64_t gh = recurrentGates(c.cell) * c.hidden;
    int64_t perStep = 0;
    for (int64_t l = 0; l < c.layers; ++l)
        perStep += 2 * gh * ((l == 0 ? c.inputs : c.hidden) + c.hidden) + 4 * gh;
    return perStep * c.steps;
}

std::vector<Shape> RecurrentDef::exampleInputs(const Params&) const {
    return {Shape::sequenceOf({4, 3})};
}

std::vector<LayerExample> RecurrentDef::examples() const {
    std::vector<LayerExample> rows = LayerDef::examples();
    Params seq = rows.front().params;
    seq.set("return_sequences", true);
    rows.push_back({"sequences", seq, rows.front().inputs});
    Params stacked = seq;
    stacked.set("layers", int64_t{2});
    rows.push_back({"stacked", stacked, rows.front().inputs});
    stacked.set("return_sequences", false);
    rows.push_back({"stacked-last", stacked, rows.front().inputs});
    return rows;
}

std::unique_ptr<Layer> RecurrentDef::create(const std::vector<Shape>& in, const Params& p) const {
    return createRecurrentLayer(config(in, p));
}

// ---- ONNX export shared by SimpleRNN, LSTM and GRU (see rnn_common.h).
void writeRecurrentOnnx(RecurrentCell cell, const OnnxNodeInfo& n, OnnxEmitter& out) {
    const int64_t g = recurrentGates(cell), h = n.params.getInt("units");
    const int64_t layers = n.params.getInt("layers");
    const bool sequences = n.params.getBool("return_sequences");
    // PyTorch's gate blocks in ONNX's order: LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h.
    const std::vector<int> order = isLstm(cell)  ? std::vector<int>{0, 3, 1, 2}
                                   : isGru(cell) ? std::vector<int>{1, 0, 2}
                                                 : std::vector<int>{0};
    const std::string op = isLstm(cell) ? "LSTM" : isGru(cell) ? "GRU" : "RNN";
    OnnxAttributes attrs{{"hidden_size", h}};
    if (cell == RecurrentCell::VanillaRelu) attrs["activations"] = std::vector<std::string>{"Relu"};
    if (isGru(cell)) attrs["linear_before_reset"] = int64_t{1};
    const std::vector<int64_t> swapNT{1, 0, 2};

    std::string x = out.freshName(n.name + ".time_major");
    out.addNode("Transpose", {n.inputs.at(0)}, {x}, {{"perm", swapNT}});
    const std::string axis0 = out.addInt64s(n.name + ".axis0", {1}, {0});
    const std::string axis1 = out.addInt64s(n.name + ".axis1", {1}, {1});
    for (int64_t l = 0; l < layers; ++l) {
        const std::string s = "_l" + std::to_string(l);
        const bool top = l + 1 == layers;
        const int64_t in = l == 0 ? n.inputShapes.at(0)[1] : h;
        const std::vector<float> wb = onnxValues(n.weight("bias_ih" + s));
        const std::vector<float> rb = onnxValues(n.weight("bias_hh" + s));
        std::vector<float> b = onnxReorderBlocks(wb, h, order);
        const std::vector<float> rbo = onnxReorderBlocks(rb, h, order);
        b.insert(b.end(), rbo.begin(), rbo.end());
        const std::string w =
            out.addFloats(n.name + ".W" + s, {1, g * h, in},
                          onnxReorderBlocks(onnxValues(n.weight("weight_ih" + s)), h * in, order));
        const std::string r =
            out.addFloats(n.name + ".R" + s, {1, g * h, h},
                          onnxReorderBlocks(onnxValues(n.weight("weight_hh" + s)), h * h, order));
        const std::string bias = out.addFloats(n.name + ".B" + s, {1, 2 * g * h}, b);
        // Y {T,1,N,H} feeds the next layer or the sequence output; the top layer's final
        // states Y_h, Y_c {1,N,H} give the last step and the state ports.
        const bool needY = !top || sequences;
        std::vector<std::string> outs{needY ? out.freshName(n.name + ".Y" + s) : ""};
        if (top) {
            outs.push_back(out.freshName(n.name + ".Y_h"));
            if (isLstm(cell)) outs.push_back(out.freshName(n.name + ".Y_c"));
        }
        out.addNode(op, {x, w, r, bias}, outs, attrs);
        if (needY) {
            x = out.freshName(n.name + ".seq" + s);
            out.addNode("Squeeze", {outs[0], axis1}, {x});
        }
        if (!top) continue;
        if (sequences)
            out.addNode("Transpose", {x}, {n.outputs.at(0)}, {{"perm", swapNT}});
        else
            out.addNode("Squeeze", {outs[1], axis0}, {n.outputs.at(0)}, {}, "netloom:last");
        if (n.outputs.size() > 1) out.addNode("Squeeze", {outs[1], axis0}, {n.outputs[1]});
        if (n.outputs.size() > 2) out.addNode("Squeeze", {outs[2], axis0}, {n.outputs[2]});
    }
}

// ---- PyTorch export shared by SimpleRNN, LSTM and GRU (see rnn_common.h).
PyTorchModule recurrentPyTorchModule(RecurrentCell cell, const PyTorchNode& n) {
    const int64_t h = n.params.getInt("units"), layers = n.params.getInt("layers");
    const bool sequences = n.params.getBool("return_sequences");
    const std::string kind = isLstm(cell) ? "nn.LSTM" : isGru(cell) ? "nn.GRU" : "nn.RNN";
    PyTorchModule m;
    m.constructor = kind + "(" + std::to_string(n.inputs.at(0)[1]) + ", " + std::to_string(h) +
                    pyArg("num_layers", layers, 1) +
                    (cell == RecurrentCell::VanillaRelu ? ", nonlinearity='relu'" : "") +
                    ", batch_first=True)";
    // PyTorch returns (output, h_n) or (output, (h_n, c_n)); h_n is {layers, N, H}.
    const std::string y = sequences ? "y" : "y[:, -1]";
    if (isLstm(cell))
        m.forward = "(lambda y, s: (" + y + ", s[0][-1], s[1][-1]))(*{m}({0}))";
    else if (isGru(cell))
        m.forward = "(lambda y, h: (" + y + ", h[-1]))(*{m}({0}))";
    else
        m.forward = sequences ? "{m}({0})[0]" : "{m}({0})[0][:, -1]";
    for (int64_t l = 0; l < layers; ++l)
        for (const char* key : {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"}) {
            const std::string k = key + std::to_string(l);
            m.tensors.push_back({k, k});
        }
    return m;
}

}  // namespace netloom::engine
