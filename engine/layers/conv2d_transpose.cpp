// Conv2DTranspose: transposed 2-D convolution (a.k.a. deconvolution) on oneDNN, the learned
// upsampling of decoders and GAN generators. Geometry and weights follow PyTorch's
// ConvTranspose2d: out = (in − 1)·stride − 2·padding + kernel + output_padding, weights plain
// {in channels, filters, kh, kw}. oneDNN's deconvolution wants {filters, in channels, kh, kw}:
// the same bytes described with the iohw tag, so no copy is needed.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/layers/dnnl_edge.h"
#include "engine/layers/dnnl_util.h"
#include "engine/layers/layer.h"
#include "engine/layers/spatial.h"
#include "engine/optim/optimizer.h"

namespace netloom::engine {
namespace {

using namespace dnnl;
using dnnlu::Edge;

struct DeconvGeometry {
    int64_t inC, inH, inW, outC, outH, outW, kernel, stride, padding, outputPadding;
};

class Conv2DTransposeLayer final : public Layer {
public:
    Conv2DTransposeLayer(const DeconvGeometry& g, bool useBias) : m_g(g), m_useBias(useBias) {
        m_weight.name = "weight";
        m_weight.value.resize({g.inC, g.outC, g.kernel, g.kernel});
        m_weight.grad.resize({g.inC, g.outC, g.kernel, g.kernel});
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

    // PyTorch and Keras both take the fan-in of a transposed convolution from the weight's
    // second axis: filters·k² (and the fan-out from in channels·k²); so do we, so that
    // "default" matches ConvTranspose2d's U(±1/sqrt(fan_in)) for weights and bias.
    void initialize(Rng& rng, InitScheme scheme) override {
        const int64_t area = m_g.kernel * m_g.kernel;
        const int64_t fanIn = m_g.outC * area;
        initWeights(m_weight.value, fanIn, m_g.inC * area, scheme, rng);
        m_bias.value.zero();
        if (m_useBias && scheme == InitScheme::Default) {
            const float bound = 1.0f / std::sqrt(static_cast<float>(fanIn));
            for (int64_t i = 0; i < m_g.outC; ++i) m_bias.value[i] = rng.uniform(-bound, bound);
        }
    }

private:
    struct Prims {
        deconvolution_forward fwdTrain, fwdInfer;
        deconvolution_backward_data bwdData;
        deconvolution_backward_weights bwdWeights;
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
        const DeconvGeometry& g = m_g;
        const auto srcMd = dnnlu::plainDesc({batch, g.inC, g.inH, g.inW});
        // oneDNN's {filters, in, kh, kw} over our {in, filters, kh, kw} buffer.
        const memory::desc wMd({g.outC, g.inC, g.kernel, g.kernel}, dnnlu::dt::f32,
                               dnnlu::tag::iohw);
        const auto bMd = dnnlu::plainDesc({g.outC});
        const auto dstMd = dnnlu::plainDesc({batch, g.outC, g.outH, g.outW});
        auto any = [](const memory::desc& plain) {
            return memory::desc(plain.dims(), dnnlu::dt::f32, dnnlu::tag::any);
        };
        const auto srcAny = any(srcMd), wAny = any(wMd), dstAny = any(dstMd);
        const memory::dims strides{g.stride, g.stride};
        // oneDNN: out = (in − 1)·stride − padL − padR + kernel, so output_padding is a smaller
        // (possibly negative) padding after the data, as PyTorch's own oneDNN path does.
        const memory::dims padL{g.padding, g.padding};
        const memory::dims padR{g.padding - g.outputPadding, g.padding - g.outputPadding};
        const auto algo = algorithm::deconvolution_direct;

        auto fwdDesc = [&](prop_kind kind) {
            if (m_useBias)
                return deconvolution_forward::desc(kind, algo, srcAny, wAny, bMd, dstAny, strides,
                                                   padL, padR);
            return deconvolution_forward::desc(kind, algo, srcAny, wAny, dstAny, strides, padL,
                                               padR);
        };
        auto fwdTrainPd =
            deconvolution_forward::primitive_desc(fwdDesc(prop_kind::forward_training), eng);
        auto fwdInferPd =
            deconvolution_forward::primitive_desc(fwdDesc(prop_kind::forward_inference), eng);
        auto bwdDataPd = deconvolution_backward_data::primitive_desc(
            {algo, srcAny, wAny, dstAny, strides, padL, padR}, eng, fwdTrainPd);
        auto bwdWeightsDesc = m_useBias ? deconvolution_backward_weights::desc(
                                              algo, srcAny, wAny, bMd, dstAny, strides, padL, padR)
                                        : deconvolution_backward_weights::desc(
                                              algo, srcAny, wAny, dstAny, strides, padL, padR);
        auto bwdWeightsPd =
            deconvolution_backward_weights::primitive_desc(bwdWeightsDesc, eng, fwdTrainPd);

        Prims p;
        p.fwdTrain = deconvolution_forward(fwdTrainPd);
        p.fwdInfer = deconvolution_forward(fwdInferPd);
        p.bwdData = deconvolution_backward_data(bwdDataPd);
        p.bwdWeights = deconvolution_backward_weights(bwdWeightsPd);
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

    DeconvGeometry m_g;
    bool m_useBias;
    Parameter m_weight, m_bias;
    ComputeContext* m_ctx = nullptr;
    std::map<int64_t, Prims> m_cache;
    Prims* m_p = nullptr;
};

// Output length of one axis, or throws naming the axis and what to change.
int64_t outputLength(int64_t in, const DeconvGeometry& g, const char* axisName) {
    const int64_t out = (in - 1) * g.stride - 2 * g.padding + g.kernel + g.outputPadding;
    if (out < 1)
        throw Error("padding " + std::to_string(g.padding) + " crops the whole output " + axisName +
                    " (input " + axisName + " " + std::to_string(in) + ", kernel " +
                    std::to_string(g.kernel) + ", stride " + std::to_string(g.stride) +
                    "): use less padding");
    return out;
}

DeconvGeometry geometry(const Shape& in, const Params& p) {
    spatial::requireImage(in);
    DeconvGeometry g{};
    g.inC = in[0];
    g.inH = in[1];
    g.inW = in[2];
    g.outC = p.getInt("filters");
    g.kernel = p.getInt("kernel");
    g.stride = p.getInt("stride");
    g.padding = p.getInt("padding");
    g.outputPadding = p.getInt("output_padding");
    if (g.outputPadding >= g.stride)
        throw Error("output padding " + std::to_string(g.outputPadding) +
                    " must be smaller than the stride " + std::to_string(g.stride) +
                    ": it only picks one of the sizes a stride-" + std::to_string(g.stride) +
                    " convolution maps to the same input size");
    if (g.padding >= g.kernel)
        throw Error("padding " + std::to_string(g.padding) + " must be smaller than the kernel " +
                    "size " + std::to_string(g.kernel) + ": it trims that many rows and " +
                    "columns from each border of the output");
    g.outH = outputLength(g.inH, g, "height");
    g.outW = outputLength(g.inW, g, "width");
    return g;
}

class Conv2DTransposeDef final : public LayerDef {
public:
    std::string type() const override { return "Conv2DTranspose"; }
    std::string displayName() const override { return "Conv 2D Transpose"; }
    std::string category() const override { return "Convolution"; }
    std::string description() const override {
        return "Learned upsampling: each input pixel stamps a learned filter onto a larger "
               "output, so stride 2 doubles the image size. The decoder half of autoencoders "
               "and GAN generators.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::integer("filters", "Filters", 32, 1, 4096,
                                   "Number of filters, i.e. output channels"),
                ParamSpec::integer("kernel", "Kernel size", 3, 1, 15,
                                   "Height and width of each filter"),
                ParamSpec::integer("stride", "Stride", 2, 1, 8,
                                   "Spacing of the filter stamps in the output; 2 doubles the "
                                   "image size"),
                ParamSpec::integer("padding", "Padding", 1, 0, 14,
                                   "Rows and columns trimmed from each border of the output "
                                   "(PyTorch's padding); must be smaller than the kernel"),
                ParamSpec::integer("output_padding", "Output padding", 1, 0, 7,
                                   "Extra rows and columns added at the bottom and right; must be "
                                   "smaller than the stride. Kernel 3, stride 2, padding 1, "
                                   "output padding 1 gives exactly twice the input size"),
                ParamSpec::boolean("use_bias", "Use bias", true, "Add a learned bias per filter")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        DeconvGeometry g = geometry(in[0], p);
        return Shape{g.outC, g.outH, g.outW};
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params& p) const override {
        const int64_t k = p.getInt("kernel"), filters = p.getInt("filters");
        return filters * in[0][0] * k * k + (p.getBool("use_bias") ? filters : 0);
    }
    // Every input value is multiplied into filters·k² outputs.
    int64_t flops(const std::vector<Shape>& in, const Shape&, const Params& p) const override {
        const int64_t k = p.getInt("kernel");
        return 2 * in[0].elements() * p.getInt("filters") * k * k;
    }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        const int64_t side = 4 + p.getInt("padding");
        return {Shape{3, side, side}};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return std::make_unique<Conv2DTransposeLayer>(geometry(in[0], p), p.getBool("use_bias"));
    }
};

}  // namespace

const LayerDef& conv2dTransposeLayerDef() {
    static const Conv2DTransposeDef def;
    return def;
}

}  // namespace netloom::engine
