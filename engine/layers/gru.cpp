// GRU on oneDNN's lbr_gru primitives (rnn_common.h), the variant PyTorch's nn.GRU computes
// (reset gate applied after the hidden matrix product); outputs the sequence or last step and
// the final hidden state h.
#include "engine/layers/rnn_common.h"

namespace netloom::engine {
namespace {

class GruDef final : public RecurrentDef {
public:
    std::string type() const override { return "GRU"; }
    std::string description() const override {
        return "Gated recurrent unit: reads a sequence step by step; an update gate decides how "
               "much of the hidden state to keep and a reset gate how much of it shapes the new "
               "candidate. Lighter than LSTM. Outputs the last step (or every step) and the final "
               "hidden state h.";
    }
    RecurrentCell cell(const Params&) const override { return RecurrentCell::Gru; }
};

}  // namespace

const LayerDef& gruLayerDef() {
    static const GruDef def;
    return def;
}

}  // namespace netloom::engine
