// MultiHeadAttention: scaled dot-product attention over H heads, parameters shaped like PyTorch's
// nn.MultiheadAttention (in_proj_weight {3d, d}, in_proj_bias {3d}, out_proj {d, d} + {d}) so
// parity tests and exporters map them one to one. Tokens are a sequence {T, d} per sample (a
// batch {N, T, d}, batch-major like the recurrent layers). One input: self-attention; with
// "cross attention" a second input {S, d} gives the keys and values.
//
// Everything heavy is oneDNN: the projections are inner products over N·T rows; QKᵀ and P·V are
// 4-D batched matmuls over N×H whose operands are strided views of the projection buffers (heads
// split and merged by strides alone, no copies); softmax is the softmax primitive; the causal
// mask writes −∞ above the diagonal of the scores. Matmul has no backward, so backward runs from
// the saved probabilities P: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = softmax_backward(P, dP),
// dQ = s·dS·K, dK = s·dSᵀ·Q (s = 1/√(d/H)), every product again a matmul on views. Pᵀ and
// dSᵀ are first written out plain by a reorder: oneDNN 2.6's matmul with a transposed source
// view ran 2.4× slower than with a plain one (ONEDNN_VERBOSE, fashion-vit), the reorder costs
// a fraction of that.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/primitive_cache.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

using namespace dnnl;
using dims = memory::dims;

struct AttentionConfig {
    int64_t tokens = 0;     // T, query tokens
    int64_t keyTokens = 0;  // S, key/value tokens (= T for self-attention)
    int64_t width = 0;      // d
    int64_t heads = 1;      // H
    bool cross = false;     // keys and values from input 2
    bool causal = false;    // query i sees keys j ≤ i
    bool useBias = true;
    float dropout = 0.0f;  // on the attention weights, training only
    int64_t headWidth() const { return width / heads; }
};

// A view of a {rows, rowStride} buffer as {N, H, rows/N, D} (one head's columns of every row):
// the head split without a copy. transposed: {N, H, D, rows/N} (Kᵀ, Vᵀ).
memory::desc headView(int64_t n, int64_t h, int64_t t, int64_t d, int64_t rowStride,
                      bool transposed = false) {
    if (transposed)
        return memory::desc({n, h, d, t}, dnnlu::dt::f32, {t * rowStride, d, 1, rowStride});
    return memory::desc({n, h, t, d}, dnnlu::dt::f32, {t * rowStride, d, rowStride, 1});
}
// {N, H, T, S} plain, and its transpose {N, H, S, T} as a view of the same buffer.
memory::desc scoreDesc(int64_t n, int64_t h, int64_t t, int64_t s, bool transposed = false) {
    if (transposed) return memory::desc({n, h, s, t}, dnnlu::dt::f32, {h * t * s, t * s, 1, s});
    return memory::desc({n, h, t, s}, dnnlu::dt::f32, {h * t * s, t * s, s, 1});
}

class MultiHeadAttentionLayer final : public Layer {
public:
    explicit MultiHeadAttentionLayer(const AttentionConfig& c) : m_c(c) {
        const int64_t d = c.width;
        m_inW = makeParam("in_proj_weight", {3 * d, d}, true);
        m_inB = makeParam("in_proj_bias", {3 * d}, false);
        m_outW = makeParam("out_proj_weight", {d, d}, true);
        m_outB = makeParam("out_proj_bias", {d}, false);
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        m_batch = batch;
        const int64_t n = batch, t = m_c.tokens, s = m_c.keyTokens, d = m_c.width;
        const int64_t h = m_c.heads;
        m_q.resize({n * t * qRow()});
        m_dq.resize({n * t * qRow()});
        if (m_c.cross) {
            m_kv.resize({n * s * 2 * d});
            m_dkv.resize({n * s * 2 * d});
        }
        m_probs.resize({n, h, t, s});
        m_work.resize({n, h, t, s});
        m_dScores.resize({n, h, t, s});
        m_transposed.resize({n, h, s, t});
        m_attended.resize({n * t * d});
        m_dAttended.resize({n * t * d});
        m_impls = &m_cache.select({batch}, [&] { return build(batch, ctx); }).impls;
        m_valid = false;
    }

    void forward(const std::vector<const Tensor*>& in, const std::vector<Tensor*>& out,
                 bool training) override {
        Prims& p = *m_cache;
        stream& st = m_ctx->dnnl().stream;
        const float* x = in[0]->data();
        const float* kv = m_c.cross ? in.at(1)->data() : x;
        float* w = m_inW.value.data();
        float* b = m_inB.value.data();
        // Projections: [Q K V] per token (self) or Q and [K V] (cross).
        p.inQ.execute(st, {{DNNL_ARG_SRC, mem(p.inQSrc, x)},
                           {DNNL_ARG_WEIGHTS, mem(p.inQW, w)},
                           {DNNL_ARG_BIAS, mem(p.inQB, b)},
                           {DNNL_ARG_DST, mem(p.inQDst, m_q.data())}});
        if (m_c.cross)
            p.inKV.execute(st, {{DNNL_ARG_SRC, mem(p.inKVSrc, kv)},
                                {DNNL_ARG_WEIGHTS, mem(p.inKVW, w + m_c.width * m_c.width)},
                                {DNNL_ARG_BIAS, mem(p.inKVB, b + m_c.width)},
                                {DNNL_ARG_DST, mem(p.inKVDst, m_kv.data())}});
        // Scores s·Q·Kᵀ, the causal mask (−∞ above the diagonal, so softmax gives exactly 0
        // there; a plain loop: as a matmul post-op oneDNN 2.6 falls back to its reference
        // kernel), softmax → P.
        p.scores.execute(st, {{DNNL_ARG_SRC, mem(p.qView, m_q.data())},
                              {DNNL_ARG_WEIGHTS, mem(p.kTView, kBase())},
                              {DNNL_ARG_DST, mem(p.scoresMd, m_work.data())}});
        if (m_c.causal) {
            st.wait();
            maskFuture(m_work.data());
        }
        p.softmaxFwd.execute(st, {{DNNL_ARG_SRC, mem(p.scoresMd, m_work.data())},
                                  {DNNL_ARG_DST, mem(p.scoresMd, m_probs.data())}});
        st.wait();
        m_dropped = training && m_c.dropout > 0.0f;
        const float* weights = m_probs.data();
        if (m_dropped) {  // inverted dropout on the attention weights, from the seeded Rng
            const float keep = 1.0f / (1.0f - m_c.dropout);
            m_mask.resize(m_probs.dims());
            Rng& rng = m_ctx->rng;
            for (int64_t i = 0; i < m_mask.size(); ++i)
                m_mask[i] = rng.uniform() < m_c.dropout ? 0.0f : keep;
            for (int64_t i = 0; i < m_mask.size(); ++i) m_work[i] = m_probs[i] * m_mask[i];
            weights = m_work.data();
        }
        // O = P·V, written straight into {N, T, H, D} = the heads merged, then the output
        // projection.
        p.attend.execute(st, {{DNNL_ARG_SRC, mem(p.scoresMd, weights)},
                              {DNNL_ARG_WEIGHTS, mem(p.vView, vBase())},
                              {DNNL_ARG_DST, mem(p.oView, m_attended.data())}});
        p.outProj.execute(st, {{DNNL_ARG_SRC, mem(p.outSrc, m_attended.data())},
                               {DNNL_ARG_WEIGHTS, mem(p.outW, m_outW.value.data())},
                               {DNNL_ARG_BIAS, mem(p.outB, m_outB.value.data())},
                               {DNNL_ARG_DST, mem(p.outSrc, out[0]->data())}});
        st.wait();
        m_valid = true;
    }

    void backward(const std::vector<const Tensor*>& in, const std::vector<const Tensor*>&,
                  const std::vector<const Tensor*>& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_cache;
        stream& st = m_ctx->dnnl().stream;
        const int64_t d = m_c.width;
        const float* x = in[0]->data();
        const float* kv = m_c.cross ? in.at(1)->data() : x;
        float* g = const_cast<float*>(gradOut.at(0)->data());
        // Output projection: dWo, dbo and dO (the merged heads' gradient).
        p.outBwdW.execute(st, {{DNNL_ARG_SRC, mem(p.outSrc, m_attended.data())},
                               {DNNL_ARG_DIFF_DST, mem(p.outSrc, g)},
                               {DNNL_ARG_DIFF_WEIGHTS, mem(p.outW, m_outW.grad.data())},
                               {DNNL_ARG_DIFF_BIAS, mem(p.outB, m_outB.grad.data())}});
        p.outBwdD.execute(st, {{DNNL_ARG_DIFF_DST, mem(p.outSrc, g)},
                               {DNNL_ARG_WEIGHTS, mem(p.outW, m_outW.value.data())},
                               {DNNL_ARG_DIFF_SRC, mem(p.outSrc, m_dAttended.data())}});
        // dV = Pᵀ·dO (P after dropout, as forward used it), Pᵀ written out plain first.
        const float* used = m_dropped ? m_work.data() : m_probs.data();
        p.transpose.execute(st, {{DNNL_ARG_FROM, mem(p.scoresTMd, used)},
                                 {DNNL_ARG_TO, mem(p.plainTMd, m_transposed.data())}});
        p.dV.execute(st, {{DNNL_ARG_SRC, mem(p.plainTMd, m_transposed.data())},
                          {DNNL_ARG_WEIGHTS, mem(p.oView, m_dAttended.data())},
                          {DNNL_ARG_DST, mem(p.vViewGrad, dvBase())}});
        // dP = dO·Vᵀ (through the dropout mask), dS = softmax_backward(P, dP).
        p.dP.execute(st, {{DNNL_ARG_SRC, mem(p.oView, m_dAttended.data())},
                          {DNNL_ARG_WEIGHTS, mem(p.vTView, vBase())},
                          {DNNL_ARG_DST, mem(p.scoresMd, m_work.data())}});
        st.wait();
        if (m_dropped)
            for (int64_t i = 0; i < m_mask.size(); ++i) m_work[i] *= m_mask[i];
        p.softmaxBwd.execute(st, {{DNNL_ARG_DST, mem(p.scoresMd, m_probs.data())},
                                  {DNNL_ARG_DIFF_DST, mem(p.scoresMd, m_work.data())},
                                  {DNNL_ARG_DIFF_SRC, mem(p.scoresMd, m_dScores.data())}});
        // dQ = s·dS·K, dK = s·dSᵀ·Q.
        p.dQ.execute(st, {{DNNL_ARG_SRC, mem(p.scoresMd, m_dScores.data())},
                          {DNNL_ARG_WEIGHTS, mem(p.kView, kBase())},
                          {DNNL_ARG_DST, mem(p.qView, m_dq.data())}});
        p.transpose.execute(st, {{DNNL_ARG_FROM, mem(p.scoresTMd, m_dScores.data())},
                                 {DNNL_ARG_TO, mem(p.plainTMd, m_transposed.data())}});
        p.dK.execute(st, {{DNNL_ARG_SRC, mem(p.plainTMd, m_transposed.data())},
                          {DNNL_ARG_WEIGHTS, mem(p.qView, m_q.data())},
                          {DNNL_ARG_DST, mem(p.kViewGrad, dkBase())}});
        // Input projections: the weight gradients always, the input gradients when asked.
        float* w = m_inW.value.data();
        float* dw = m_inW.grad.data();
        float* db = m_inB.grad.data();
        p.inQBwdW.execute(st, {{DNNL_ARG_SRC, mem(p.inQSrc, x)},
                               {DNNL_ARG_DIFF_DST, mem(p.inQDst, m_dq.data())},
                               {DNNL_ARG_DIFF_WEIGHTS, mem(p.inQW, dw)},
                               {DNNL_ARG_DIFF_BIAS, mem(p.inQB, db)}});
        if (!gradIn.empty() && gradIn[0])
            p.inQBwdD.execute(st, {{DNNL_ARG_DIFF_DST, mem(p.inQDst, m_dq.data())},
                                   {DNNL_ARG_WEIGHTS, mem(p.inQW, w)},
                                   {DNNL_ARG_DIFF_SRC, mem(p.inQSrc, gradIn[0]->data())}});
        if (m_c.cross) {
            p.inKVBwdW.execute(st, {{DNNL_ARG_SRC, mem(p.inKVSrc, kv)},
                                    {DNNL_ARG_DIFF_DST, mem(p.inKVDst, m_dkv.data())},
                                    {DNNL_ARG_DIFF_WEIGHTS, mem(p.inKVW, dw + d * d)},
                                    {DNNL_ARG_DIFF_BIAS, mem(p.inKVB, db + d)}});
            if (gradIn.size() > 1 && gradIn[1])
                p.inKVBwdD.execute(st, {{DNNL_ARG_DIFF_DST, mem(p.inKVDst, m_dkv.data())},
                                        {DNNL_ARG_WEIGHTS, mem(p.inKVW, w + d * d)},
                                        {DNNL_ARG_DIFF_SRC, mem(p.inKVSrc, gradIn[1]->data())}});
        }
        st.wait();
        if (!m_c.useBias) {
            m_inB.grad.zero();
            m_outB.grad.zero();
        }
    }

    std::vector<Parameter*> parameters() override {
        if (m_c.useBias) return {&m_inW, &m_inB, &m_outW, &m_outB};
        return {&m_inW, &m_outW};
    }

    // PyTorch's _reset_parameters: in_proj_weight Xavier-uniform over {3d, d}, out_proj like a
    // Linear (U(±1/√d)), both biases zero. He and Xavier apply to both matrices.
    void initialize(Rng& rng, InitScheme scheme) override {
        const int64_t d = m_c.width;
        if (scheme == InitScheme::Default) {
            const float inBound = std::sqrt(6.0f / static_cast<float>(4 * d));
            for (int64_t i = 0; i < m_inW.value.size(); ++i)
                m_inW.value[i] = rng.uniform(-inBound, inBound);
            const float outBound = 1.0f / std::sqrt(static_cast<float>(d));
            for (int64_t i = 0; i < m_outW.value.size(); ++i)
                m_outW.value[i] = rng.uniform(-outBound, outBound);
        } else {
            initWeights(m_inW.value, d, 3 * d, scheme, rng);
            initWeights(m_outW.value, d, d, scheme, rng);
        }
        m_inB.value.zero();
        m_outB.value.zero();
    }

    std::vector<Tensor> attentionWeights(int64_t sample) const override {
        if (!m_valid || sample < 0 || sample >= m_batch) return {};
        const int64_t t = m_c.tokens, s = m_c.keyTokens, h = m_c.heads;
        std::vector<Tensor> maps;
        for (int64_t head = 0; head < h; ++head) {
            Tensor map({t, s});
            std::memcpy(map.data(), m_probs.data() + (sample * h + head) * t * s,
                        sizeof(float) * static_cast<size_t>(t * s));
            maps.push_back(std::move(map));
        }
        return maps;
    }

    std::vector<std::string> primitiveImplementations() const override {
        return m_impls ? *m_impls : std::vector<std::string>{};
    }

private:
    struct Prims {
        primitive inQ, inKV, inQBwdD, inQBwdW, inKVBwdD, inKVBwdW;
        primitive scores, softmaxFwd, softmaxBwd, attend, outProj, outBwdD, outBwdW;
        primitive dV, dP, dQ, dK, transpose;
        memory::desc inQSrc, inQW, inQB, inQDst, inKVSrc, inKVW, inKVB, inKVDst;
        memory::desc qView, kView, kTView, vView, vTView, kViewGrad, vViewGrad, oView;
        memory::desc scoresMd, scoresTMd, plainTMd, outSrc, outW, outB;
        std::vector<std::string> impls;
    };

    static Parameter makeParam(const std::string& name, std::vector<int64_t> d, bool decay) {
        Parameter p;
        p.name = name;
        p.value.resize(d);
        p.grad.resize(d);
        p.value.zero();
        p.decay = decay;
        return p;
    }

    // Row strides and bases of Q, K, V (and their gradients) in the projection buffers: self
    // attention keeps [Q K V] per token in one buffer; cross attention Q and [K V] apart.
    int64_t qRow() const { return m_c.cross ? m_c.width : 3 * m_c.width; }
    int64_t kvRow() const { return m_c.cross ? 2 * m_c.width : 3 * m_c.width; }
    float* kBase() { return m_c.cross ? m_kv.data() : m_q.data() + m_c.width; }
    float* vBase() { return kBase() + m_c.width; }
    float* dkBase() { return m_c.cross ? m_dkv.data() : m_dq.data() + m_c.width; }
    float* dvBase() { return dkBase() + m_c.width; }

    // Query i sees keys j ≤ i: −∞ above the diagonal of every (sample, head) score matrix.
    void maskFuture(float* scores) const {
        const int64_t t = m_c.tokens, s = m_c.keyTokens;
        const float minusInf = -std::numeric_limits<float>::infinity();
        for (int64_t m = 0; m < m_batch * m_c.heads; ++m)
            for (int64_t i = 0; i + 1 < s && i < t; ++i)
                std::fill(scores + (m * t + i) * s + i + 1, scores + (m * t + i + 1) * s, minusInf);
    }

    memory mem(const memory::desc& md, const float* data) {
        return memory(md, m_ctx->dnnl().engine, const_cast<float*>(data));
    }

    Prims build(int64_t n, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.dnnl().engine;
        const int64_t t = m_c.tokens, s = m_c.keyTokens, d = m_c.width, h = m_c.heads;
        const int64_t hd = m_c.headWidth();
        const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
        Prims p;
        auto record = [&p](const auto& pd) { p.impls.push_back(pd.impl_info_str()); };

        // Inner products: one over N·T query rows (→ 3d outputs for self-attention, d for
        // cross), one over N·S key/value rows (cross: → 2d).
        const int64_t qOut = m_c.cross ? d : 3 * d;
        auto linear = [&](int64_t rows, int64_t outs, memory::desc& src, memory::desc& w,
                          memory::desc& b, memory::desc& dst, primitive& fwd, primitive& bwdD,
                          primitive& bwdW) {
            src = dnnlu::plainDesc({rows, d});
            w = dnnlu::plainDesc({outs, d});
            b = dnnlu::plainDesc({outs});
            dst = dnnlu::plainDesc({rows, outs});
            auto fpd = inner_product_forward::primitive_desc(
                {prop_kind::forward_training, src, w, b, dst}, eng);
            auto dpd = inner_product_backward_data::primitive_desc({src, w, dst}, eng, fpd);
            auto wpd = inner_product_backward_weights::primitive_desc({src, w, b, dst}, eng, fpd);
            fwd = inner_product_forward(fpd);
            bwdD = inner_product_backward_data(dpd);
            bwdW = inner_product_backward_weights(wpd);
            record(fpd);
            record(dpd);
            record(wpd);
        };
        linear(n * t, qOut, p.inQSrc, p.inQW, p.inQB, p.inQDst, p.inQ, p.inQBwdD, p.inQBwdW);
        if (m_c.cross)
            linear(n * s, 2 * d, p.inKVSrc, p.inKVW, p.inKVB, p.inKVDst, p.inKV, p.inKVBwdD,
                   p.inKVBwdW);
        memory::desc outDst;
        linear(n * t, d, p.outSrc, p.outW, p.outB, outDst, p.outProj, p.outBwdD, p.outBwdW);

        // Views of the projection buffers per head.
        p.qView = headView(n, h, t, hd, qRow());
        p.kView = headView(n, h, s, hd, kvRow());
        p.kTView = headView(n, h, s, hd, kvRow(), true);
        p.vView = p.kView;
        p.vTView = p.kTView;
        p.kViewGrad = p.kView;
        p.vViewGrad = p.kView;
        p.oView = headView(n, h, t, hd, d);
        p.scoresMd = scoreDesc(n, h, t, s);
        p.scoresTMd = scoreDesc(n, h, t, s, true);
        p.plainTMd = memory::desc({n, h, s, t}, dnnlu::dt::f32, {h * s * t, s * t, t, 1});

        auto matmulPd = [&](const memory::desc& a, const memory::desc& b, const memory::desc& c,
                            float factor) {
            primitive_attr attr;
            if (factor != 1.0f) attr.set_output_scales(0, {factor});
            auto pd = matmul::primitive_desc(matmul::desc(a, b, c), attr, eng);
            record(pd);
            return matmul(pd);
        };
        p.scores = matmulPd(p.qView, p.kTView, p.scoresMd, scale);
        p.attend = matmulPd(p.scoresMd, p.vView, p.oView, 1.0f);
        p.dV = matmulPd(p.plainTMd, p.oView, p.vViewGrad, 1.0f);
        p.dP = matmulPd(p.oView, p.vTView, p.scoresMd, 1.0f);
        p.dQ = matmulPd(p.scoresMd, p.kView, p.qView, scale);
        p.dK = matmulPd(p.plainTMd, p.qView, p.kViewGrad, scale);
        auto transposePd = reorder::primitive_desc(eng, p.scoresTMd, eng, p.plainTMd);
        record(transposePd);
        p.transpose = reorder(transposePd);

        // Softmax over the keys of every (sample, head, query).
        auto sfwd =
            softmax_forward::primitive_desc({prop_kind::forward_training, p.scoresMd, 3}, eng);
        auto sbwd = softmax_backward::primitive_desc({p.scoresMd, p.scoresMd, 3}, eng, sfwd);
        p.softmaxFwd = softmax_forward(sfwd);
        p.softmaxBwd = softmax_backward(sbwd);
        record(sfwd);
        record(sbwd);

        return p;
    }

    AttentionConfig m_c;
    Parameter m_inW, m_inB, m_outW, m_outB;
    ComputeContext* m_ctx = nullptr;
    int64_t m_batch = 0;
    // Saved by forward for backward: the projections, P (and the dropout mask), the merged heads.
    Tensor m_q, m_kv, m_probs, m_mask, m_attended;
    Tensor m_work;  // scores before softmax, P after dropout, then dP
    Tensor m_dq, m_dkv, m_dScores, m_dAttended;
    Tensor m_transposed;  // Pᵀ, then dSᵀ, plain {N, H, S, T} for the dV and dK products
    bool m_dropped = false, m_valid = false;
    const std::vector<std::string>* m_impls = nullptr;  // the current batch size's kernels
    PrimitiveCache<Prims> m_cache;
};

AttentionConfig attentionConfig(const std::vector<Shape>& in, const Params& p) {
    auto tokens = [](const Shape& s, const char* port) {
        if (!s.sequence || s.rank() != 2)
            throw Error(std::string("expects a sequence of tokens (tokens × features) on '") +
                        port + "', got " + s.toString() +
                        ": insert Reshape with 'Sequence' on, an Embedding or a token layer");
    };
    AttentionConfig c;
    c.cross = p.getBool("cross_attention");
    tokens(in.at(0), "query");
    c.tokens = in[0][0];
    c.width = in[0][1];
    c.keyTokens = c.tokens;
    if (c.cross) {
        if (in.size() < 2) throw Error("cross attention needs a second input (keys and values)");
        tokens(in[1], "key/value");
        if (in[1][1] != c.width)
            throw Error("the key/value input has " + std::to_string(in[1][1]) +
                        " features per token but the query has " + std::to_string(c.width) +
                        ": both need the model width");
        c.keyTokens = in[1][0];
    }
    c.heads = p.getInt("heads");
    if (c.width % c.heads != 0)
        throw Error("heads (" + std::to_string(c.heads) + ") must divide the model width " +
                    std::to_string(c.width) + " (the features of each token)");
    c.causal = p.getBool("causal");
    c.useBias = p.getBool("use_bias");
    c.dropout = static_cast<float>(p.getFloat("dropout"));
    return c;
}

// in_proj_weight rows [first, first + d) transposed to {d_in, d_out}: x·Wᵀ as ONNX's MatMul.
std::vector<float> transposedRows(const Tensor& w, int64_t first, int64_t rows) {
    const int64_t cols = w.dim(1);
    std::vector<float> t(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            t[static_cast<size_t>(c * rows + r)] = w[(first + r) * cols + c];
    return t;
}

// ---- ONNX export: opset 17 has no attention operator, so the layer is written out: three
// MatMul(+Add) projections, Reshape {N, T, H, D} + Transpose to heads, MatMul QKᵀ, Mul by
// 1/√D, Add of the causal mask (−∞ above the diagonal), Softmax over the keys, MatMul with V,
// Transpose + Reshape back to {N, T, d}, the output MatMul(+Add).
const OnnxHookFn kMultiHeadAttentionOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const AttentionConfig c = attentionConfig(n.inputShapes, n.params);
    const int64_t d = c.width, hd = c.headWidth();
    const Tensor& w = n.weight("in_proj_weight");
    const std::string kv = c.cross ? n.inputs.at(1) : n.inputs.at(0);
    const std::string split = out.addInt64s(n.name + ".heads_shape", {4}, {0, 0, c.heads, hd});
    const std::string merge = out.addInt64s(n.name + ".merged_shape", {3}, {0, 0, d});
    // The importer (engine/export/onnx_import_attention.cpp) reads the block back from the
    // projections' doc strings: the query's carries the dropout, the others mark "part".
    auto linear = [&](const std::string& x, const std::vector<float>& wt,
                      const std::vector<float>& bias, const std::string& part,
                      const std::string& result) {
        const std::string weight = out.addFloats(n.name + "." + part + "_weight_t", {d, d}, wt);
        const std::string product = c.useBias ? out.freshName(n.name + "." + part) : result;
        const std::string doc = part == "q"
                                    ? kOnnxAttentionDoc + pyFloat(n.params.getFloat("dropout"))
                                : part == "out" ? std::string()
                                                : kOnnxAttentionPartDoc;
        out.addNode("MatMul", {x, weight}, {product}, {}, doc);
        if (c.useBias)
            out.addNode("Add", {product, out.addFloats(n.name + "." + part + "_bias", {d}, bias)},
                        {result});
    };
    auto inBias = [&](int64_t block) {
        if (!c.useBias) return std::vector<float>{};
        const Tensor& b = n.weight("in_proj_bias");
        return std::vector<float>(b.data() + block * d, b.data() + (block + 1) * d);
    };
    // One projection split into heads: {N, H, T, D}, or {N, H, D, T} for the keys.
    auto heads = [&](const std::string& x, int64_t block, const std::string& part,
                     const std::vector<int64_t>& perm) {
        const std::string projected = out.freshName(n.name + "." + part + "_proj");
        linear(x, transposedRows(w, block * d, d), inBias(block), part, projected);
        const std::string shaped = out.freshName(n.name + "." + part + "_split");
        out.addNode("Reshape", {projected, split}, {shaped});
        const std::string result = out.freshName(n.name + "." + part + "_heads");
        out.addNode("Transpose", {shaped}, {result}, {{"perm", perm}});
        return result;
    };
    const std::string q = heads(n.inputs.at(0), 0, "q", {0, 2, 1, 3});
    const std::string kT = heads(kv, 1, "k", {0, 2, 3, 1});
    const std::string v = heads(kv, 2, "v", {0, 2, 1, 3});
    const std::string raw = out.freshName(n.name + ".scores_raw");
    out.addNode("MatMul", {q, kT}, {raw});
    std::string scores = out.freshName(n.name + ".scores");
    out.addNode(
        "Mul",
        {raw, out.addFloats(n.name + ".scale", {1}, {1.0f / std::sqrt(static_cast<float>(hd))})},
        {scores});
    if (c.causal) {
        std::vector<float> mask(static_cast<size_t>(c.tokens * c.keyTokens), 0.0f);
        for (int64_t i = 0; i < c.tokens; ++i)
            for (int64_t j = i + 1; j < c.keyTokens; ++j)
                mask[static_cast<size_t>(i * c.keyTokens + j)] =
                    -std::numeric_limits<float>::infinity();
        const std::string masked = out.freshName(n.name + ".scores_masked");
        out.addNode("Add",
                    {scores, out.addFloats(n.name + ".causal_mask", {c.tokens, c.keyTokens}, mask)},
                    {masked});
        scores = masked;
    }
    const std::string probs = out.freshName(n.name + ".weights");
    out.addNode("Softmax", {scores}, {probs}, {{"axis", int64_t{-1}}});
    const std::string attended = out.freshName(n.name + ".attended");
    out.addNode("MatMul", {probs, v}, {attended});
    const std::string tokensFirst = out.freshName(n.name + ".tokens_first");
    out.addNode("Transpose", {attended}, {tokensFirst},
                {{"perm", std::vector<int64_t>{0, 2, 1, 3}}});
    const std::string merged = out.freshName(n.name + ".merged");
    out.addNode("Reshape", {tokensFirst, merge}, {merged});
    std::vector<float> outBias;
    if (c.useBias) outBias = onnxValues(n.weight("out_proj_bias"));
    linear(merged, transposedRows(n.weight("out_proj_weight"), 0, d), outBias, "out",
           n.outputs.at(0));
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kMultiHeadAttentionPyTorch([](const PyTorchNode& n) {
    const AttentionConfig c = attentionConfig(n.inputs, n.params);
    PyTorchModule m;
    m.constructor = "nn.MultiheadAttention(" + std::to_string(c.width) + ", " +
                    std::to_string(c.heads) +
                    (c.dropout > 0 ? ", dropout=" + pyFloat(c.dropout) : std::string()) +
                    pyBiasArg(c.useBias) + ", batch_first=True)";
    const std::string kv = c.cross ? "{1}" : "{0}";
    const std::string mask =
        c.causal
            ? ", attn_mask=torch.triu(torch.full((" + std::to_string(c.tokens) + ", " +
                  std::to_string(c.keyTokens) + "), float('-inf'), device={0}.device), diagonal=1)"
            : "";
    m.forward = "{m}({0}, " + kv + ", " + kv + mask + ", need_weights=False)[0]";
    m.tensors = {{"in_proj_weight", "in_proj_weight"}, {"out_proj_weight", "out_proj.weight"}};
    if (c.useBias) {
        m.tensors.push_back({"in_proj_bias", "in_proj_bias"});
        m.tensors.push_back({"out_proj_bias", "out_proj.bias"});
    }
    return m;
});
// ---- end of PyTorch export ----

class MultiHeadAttentionDef final : public LayerDef {
public:
    std::string type() const override { return "MultiHeadAttention"; }
    std::string displayName() const override { return "Multi-Head Attention"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kMultiHeadAttentionOnnx;
        if (format == kPyTorchFormat) return &kMultiHeadAttentionPyTorch;
        return nullptr;
    }
    std::string category() const override { return "Attention"; }
    std::string description() const override {
        return "Multi-head attention: every token looks at all tokens (or, causal, at the ones "
               "before it), weighs them by how well their keys match its query and mixes their "
               "values; several heads do this side by side. Input: a sequence of tokens "
               "(tokens × width). With cross attention a second input gives the keys and values.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("heads", "Heads", 4, 1, 64,
                                   "Attention heads; each works on width ÷ heads features, so "
                                   "the heads must divide the token width"),
                ParamSpec::boolean("causal", "Causal mask", false,
                                   "Each token attends only to itself and earlier tokens (for "
                                   "generating text left to right)"),
                ParamSpec::real("dropout", "Attention dropout", 0.0, 0.0, 0.9,
                                "Drops attention weights at random while training"),
                ParamSpec::boolean("use_bias", "Use bias", true,
                                   "Learned biases in the query/key/value and output projections"),
                ParamSpec::boolean("cross_attention", "Cross attention", false,
                                   "Take keys and values from a second input instead of the "
                                   "queries' own sequence")};
    }
    int minInputs(const Params& p) const override { return p.getBool("cross_attention") ? 2 : 1; }
    PortInfo ports(const Params& p) const override {
        if (p.getBool("cross_attention")) return {{"query", "key/value"}, {"out"}};
        return {{"in"}, {"out"}};
    }
    std::vector<Shape> inferShapes(const std::vector<Shape>& in, const Params& p) const override {
        const AttentionConfig c = attentionConfig(in, p);
        return {Shape::sequenceOf({c.tokens, c.width})};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const AttentionConfig c = attentionConfig(in, p);
        return 4 * c.width * c.width + (c.useBias ? 4 * c.width : 0);
    }
    // Per sample: the projections (3 over T or T + 2S rows, 1 over T) and the two products
    // QKᵀ and P·V (T·S·d multiply-adds each), plus ~5 per attention weight for the softmax.
    int64_t flops(const std::vector<Shape>& in, const std::vector<Shape>&,
                  const Params& p) const override {
        const AttentionConfig c = attentionConfig(in, p);
        const int64_t d = c.width, t = c.tokens, s = c.keyTokens;
        return 2 * d * d * (2 * t + 2 * s) + 4 * t * s * d + 5 * c.heads * t * s;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        std::vector<Shape> in{Shape::sequenceOf({4, 8})};
        if (p.getBool("cross_attention")) in.push_back(Shape::sequenceOf({5, 8}));
        return in;
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = LayerDef::examples();  // 4 heads of width 2
        Params causal = rows.front().params;
        causal.set("causal", true);
        rows.push_back({"causal", causal, exampleInputs(causal)});
        Params cross = rows.front().params;
        cross.set("cross_attention", true);
        cross.set("heads", int64_t{2});
        rows.push_back({"cross", cross, exampleInputs(cross)});
        Params plain = rows.front().params;
        plain.set("use_bias", false);
        plain.set("heads", int64_t{1});
        rows.push_back({"one head, no bias", plain, exampleInputs(plain)});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<MultiHeadAttentionLayer>(attentionConfig(in, p));
    }
};

}  // namespace

const LayerDef& multiHeadAttentionLayerDef() {
    static const MultiHeadAttentionDef def;
    return def;
}

}  // namespace netloom::engine
