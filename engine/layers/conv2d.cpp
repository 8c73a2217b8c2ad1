// Conv2D: 2-D convolution (cross-correlation, like PyTorch and TensorFlow) on oneDNN. Weights are
// kept plain {filters, in channels, kh, kw} like PyTorch's Conv2d; oneDNN may run on blocked
// layouts it prefers, with reorders only at the edges of each primitive.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/spatial.h"
#include "engine/optim/optimizer.h"

namespace netloom::engine {
namespace {

using namespace dnnl;

// Let oneDNN choose activation and weight layouts (blocked formats run the fast direct kernels);
// the tensors we hand in and out stay plain row-major.
constexpr bool kPreferredLayouts = true;

// A plain buffer as one primitive sees it. When the primitive wants another layout it works on
// its own buffer and a reorder converts at the edge (before it for inputs, after it for outputs).
struct Edge {
    memory user, prim;
    reorder convert;
    bool reorders = false;

    Edge() = default;
    Edge(const memory::desc& plain, const memory::desc& wanted, const dnnl::engine& eng,
         bool isInput) {
        user = memory(plain, eng, nullptr);
        if (wanted == plain) {
            prim = user;
            return;
        }
        reorders = true;
        prim = memory(wanted, eng);
        convert = isInput ? reorder(user, prim) : reorder(prim, user);
    }
    // Input: binds the data and converts it when needed; returns what the primitive reads.
    memory& in(const float* data, stream& s) {
        user.set_data_handle(const_cast<float*>(data));
        if (reorders) convert.execute(s, user, prim);
        return prim;
    }
    // Output: binds the destination; call finish() after the primitive ran.
    memory& out(float* data) {
        user.set_data_handle(data);
        return prim;
    }
    void finish(stream& s) {
        if (reorders) convert.execute(s, prim, user);
    }
};

struct ConvGeometry {
    int64_t inC, inH, inW, outC, outH, outW, kernel, stride, dilation;
    spatial::Axis y, x;
};

class Conv2DLayer final : public Layer {
public:
    Conv2DLayer(const ConvGeometry& g, bool useBias) : m_g(g), m_useBias(useBias) {
        m_weight.name = "weight";
        m_weight.value.resize({g.outC, g.inC, g.kernel, g.kernel});
        m_weight.grad.resize({g.outC, g.inC, g.kernel, g.kernel});
        m_weight.value.zero();
        m_bias.name = "bias";
        m_bias.decay = false;
        m_bias.value.resize({g.outC});
        m_bias.grad.resize({g.outC});
        m_bias.value.zero();
        m_bias.grad.zero();
    }

    void prepare(int64_t batch, ComputeContext& ctx) override {
        m_ctx = &ctx;
        auto it = m_cache.find(batch);
        if (it == m_cache.end()) it = m_cache.emplace(batch, build(batch, ctx)).first;
        m_p = &it->second;
    }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        Prims& p = *m_p;
        stream& s = m_ctx->stream;
        Edge& src = training ? p.fSrc : p.iSrc;
        Edge& w = training ? p.fW : p.iW;
        Edge& dst = training ? p.fDst : p.iDst;
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src.in(in[0]->data(), s)},
                                             {DNNL_ARG_WEIGHTS, w.in(m_weight.value.data(), s)},
                                             {DNNL_ARG_DST, dst.out(out.data())}};
        if (m_useBias) args.insert({DNNL_ARG_BIAS, dnnlu::bind(p.bias, m_bias.value)});
        (training ? p.fwdTrain : p.fwdInfer).execute(s, args);
        dst.finish(s);
        s.wait();
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        Prims& p = *m_p;
        stream& s = m_ctx->stream;
        // The input was converted by the training forward (same inputs, see Layer::backward);
        // the gradient is converted once when both backward primitives want the same layout.
        memory& src = p.reuseSrc ? p.fSrc.prim : p.bwSrc.in(in[0]->data(), s);
        memory& diffDst = p.bwDiffDst.in(gradOut.data(), s);
        std::unordered_map<int, memory> wargs{
            {DNNL_ARG_SRC, src},
            {DNNL_ARG_DIFF_DST, diffDst},
            {DNNL_ARG_DIFF_WEIGHTS, p.bwDiffW.out(m_weight.grad.data())}};
        if (m_useBias) wargs.insert({DNNL_ARG_DIFF_BIAS, dnnlu::bind(p.diffBias, m_bias.grad)});
        p.bwdWeights.execute(s, wargs);
        p.bwDiffW.finish(s);
        if (!gradIn.empty() && gradIn[0]) {
            memory& dd = p.shareDiffDst ? diffDst : p.bdDiffDst.in(gradOut.data(), s);
            p.bwdData.execute(s, {{DNNL_ARG_DIFF_DST, dd},
                                  {DNNL_ARG_WEIGHTS, p.bdW.in(m_weight.value.data(), s)},
                                  {DNNL_ARG_DIFF_SRC, p.bdDiffSrc.out(gradIn[0]->data())}});
            p.bdDiffSrc.finish(s);
        }
        s.wait();
    }

    std::vector<Parameter*> parameters() override {
        if (m_useBias) return {&m_weight, &m_bias};
        return {&m_weight};
    }

    void initialize(Rng& rng, InitScheme scheme) override {
        const int64_t area = m_g.kernel * m_g.kernel;
        const int64_t fanIn = m_g.inC * area;
        initWeights(m_weight.value, fanIn, m_g.outC * area, scheme, rng);
        m_bias.value.zero();
        if (m_useBias && scheme == InitScheme::Default) {  // PyTorch: U(±1/sqrt(fan_in))
            const float bound = 1.0f / std::sqrt(static_cast<float>(fanIn));
            for (int64_t i = 0; i < m_g.outC; ++i) m_bias.value[i] = rng.uniform(-bound, bound);
        }
    }

private:
    struct Prims {
        convolution_forward fwdTrain, fwdInfer;
        convolution_backward_data bwdData;
        convolution_backward_weights bwdWeights;
        Edge fSrc, fW, fDst;             // forward_training
        Edge iSrc, iW, iDst;             // forward_inference
        Edge bdDiffDst, bdW, bdDiffSrc;  // backward_data
        Edge bwSrc, bwDiffDst, bwDiffW;  // backward_weights
        memory bias, diffBias;           // always plain {outC}
        bool reuseSrc = false;      // backward_weights reads the training forward's converted src
        bool shareDiffDst = false;  // both backward primitives take the same diff_dst layout
    };

    Prims build(int64_t batch, ComputeContext& ctx) {
        const dnnl::engine& eng = ctx.engine;
        const ConvGeometry& g = m_g;
        const auto srcMd = dnnlu::plainDesc({batch, g.inC, g.inH, g.inW});
        const auto wMd = dnnlu::plainDesc({g.outC, g.inC, g.kernel, g.kernel});
        const auto bMd = dnnlu::plainDesc({g.outC});
        const auto dstMd = dnnlu::plainDesc({batch, g.outC, g.outH, g.outW});
        auto pick = [](const memory::desc& plain) {
            return kPreferredLayouts ? memory::desc(plain.dims(), dnnlu::dt::f32, dnnlu::tag::any)
                                     : plain;
        };
        const auto srcAny = pick(srcMd), wAny = pick(wMd), dstAny = pick(dstMd);
        const memory::dims strides{g.stride, g.stride};
        const memory::dims dilates{g.dilation - 1, g.dilation - 1};  // oneDNN counts from 0
        const memory::dims padL{g.y.padBefore, g.x.padBefore};
        const memory::dims padR{g.y.padAfter, g.x.padAfter};

        auto fwdDesc = [&](prop_kind kind) {
            if (m_useBias)
                return convolution_forward::desc(kind, algorithm::convolution_direct, srcAny, wAny,
                                                 bMd, dstAny, strides, dilates, padL, padR);
            return convolution_forward::desc(kind, algorithm::convolution_direct, srcAny, wAny,
                                             dstAny, strides, dilates, padL, padR);
        };
        auto fwdTrainPd =
            convolution_forward::primitive_desc(fwdDesc(prop_kind::forward_training), eng);
        auto fwdInferPd =
            convolution_forward::primitive_desc(fwdDesc(prop_kind::forward_inference), eng);
        auto bwdDataPd = convolution_backward_data::primitive_desc(
            {algorithm::convolution_direct, srcAny, wAny, dstAny, strides, dilates, padL, padR},
            eng, fwdTrainPd);
        auto bwdWeightsDesc =
            m_useBias
                ? convolution_backward_weights::desc(algorithm::convolution_direct, srcAny, wAny,
                                                     bMd, dstAny, strides, dilates, padL, padR)
                : convolution_backward_weights::desc(algorithm::convolution_direct, srcAny, wAny,
                                                     dstAny, strides, dilates, padL, padR);
        auto bwdWeightsPd =
            convolution_backward_weights::primitive_desc(bwdWeightsDesc, eng, fwdTrainPd);

        Prims p;
        p.fwdTrain = convolution_forward(fwdTrainPd);
        p.fwdInfer = convolution_forward(fwdInferPd);
        p.bwdData = convolution_backward_data(bwdDataPd);
        p.bwdWeights = convolution_backward_weights(bwdWeightsPd);
        p.fSrc = Edge(srcMd, fwdTrainPd.src_desc(), eng, true);
        p.fW = Edge(wMd, fwdTrainPd.weights_desc(), eng, true);
        p.fDst = Edge(dstMd, fwdTrainPd.dst_desc(), eng, false);
        p.iSrc = Edge(srcMd, fwdInferPd.src_desc(), eng, true);
        p.iW = Edge(wMd, fwdInferPd.weights_desc(), eng, true);
        p.iDst = Edge(dstMd, fwdInferPd.dst_desc(), eng, false);
        p.shareDiffDst = bwdWeightsPd.diff_dst_desc() == bwdDataPd.diff_dst_desc();
        if (!p.shareDiffDst) p.bdDiffDst = Edge(dstMd, bwdDataPd.diff_dst_desc(), eng, true);
        p.bdW = Edge(wMd, bwdDataPd.weights_desc(), eng, true);
        p.bdDiffSrc = Edge(srcMd, bwdDataPd.diff_src_desc(), eng, false);
        p.reuseSrc = p.fSrc.reorders && bwdWeightsPd.src_desc() == fwdTrainPd.src_desc();
        if (!p.reuseSrc) p.bwSrc = Edge(srcMd, bwdWeightsPd.src_desc(), eng, true);
        p.bwDiffDst = Edge(dstMd, bwdWeightsPd.diff_dst_desc(), eng, true);
        p.bwDiffW = Edge(wMd, bwdWeightsPd.diff_weights_desc(), eng, false);
        p.bias = memory(bMd, eng, nullptr);
        p.diffBias = memory(bMd, eng, nullptr);
        return p;
    }

    ConvGeometry m_g;
    bool m_useBias;
    Parameter m_weight, m_bias;
    ComputeContext* m_ctx = nullptr;
    std::map<int64_t, Prims> m_cache;
    Prims* m_p = nullptr;
};

ConvGeometry geometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    ConvGeometry g{};
    g.inC = in[0];
    g.inH = in[1];
    g.inW = in[2];
    g.outC = p.getInt("filters");
    g.kernel = p.getInt("kernel");
    g.stride = p.getInt("stride");
    g.dilation = p.getInt("dilation");
    const bool same = p.getString("padding") == "same";
    g.y = spatial::slide(g.inH, g.kernel, g.stride, g.dilation, same, "height");
    g.x = spatial::slide(g.inW, g.kernel, g.stride, g.dilation, same, "width");
    g.outH = g.y.out;
    g.outW = g.x.out;
    return g;
}

class Conv2DDef final : public LayerDef {
public:
    std::string type() const override { return "Conv2D"; }
    std::string displayName() const override { return "Conv 2D"; }
    std::string category() const override { return "Convolution"; }
    std::string description() const override {
        return "Slides small learned filters over an image; each filter produces one output "
               "channel that lights up where its pattern (an edge, a texture) appears.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("filters", "Filters", 32, 1, 4096,
                                   "Number of filters, i.e. output channels"),
                ParamSpec::integer("kernel", "Kernel size", 3, 1, 15,
                                   "Height and width of each filter"),
                ParamSpec::integer("stride", "Stride", 1, 1, 8,
                                   "Step between filter positions; 2 halves the image size"),
                ParamSpec::choice("padding", "Padding", {"same", "valid"}, "same",
                                  "same: pad with zeros so the output is input/stride; "
                                  "valid: no padding, the output shrinks"),
                ParamSpec::integer("dilation", "Dilation", 1, 1, 8,
                                   "Spacing between filter taps; >1 widens the view cheaply"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per filter")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        ConvGeometry g = geometry(in[0], p);
        return Shape{g.outC, g.outH, g.outW};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t k = p.getInt("kernel"), filters = p.getInt("filters");
        return filters * in[0][0] * k * k + (p.getBool("use_bias") ? filters : 0);
    }
    int64_t flops(const std::vector<Shape>& in, const Shape& out, const Params& p) const override {
        const int64_t k = p.getInt("kernel");
        return 2 * out.elements() * in[0][0] * k * k;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        const int64_t ext = spatial::extent(p.getInt("kernel"), p.getInt("dilation"));
        const int64_t side = std::max<int64_t>(6, ext + p.getInt("stride"));
        return {Shape{3, side, side}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<Conv2DLayer>(geometry(in[0], p), p.getBool("use_bias"));
    }
};

}  // namespace

const LayerDef& conv2dLayerDef() {
    static const Conv2DDef def;
    return def;
}

}  // namespace netloom::engine
