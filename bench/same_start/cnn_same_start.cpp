// Same start, same order: trains fashion-cnn for 2 epochs from the weights in DIR/w<SEED>.bin with
// the batch order in DIR/order<SEED>.bin, printing the mean loss of every 100 steps and the test
// accuracy, so the curve can be laid beside PyTorch's (cnn_same_start.py) — evidence that a
// different 2-epoch accuracy comes from init and order, not from the arithmetic.
//   g++ -std=c++20 -O2 -fopenmp -I. bench/same_start/cnn_same_start.cpp \
//       build/engine/libnetloom_engine.a -ldnnl -lz -o /tmp/cnn_same_start
//   /tmp/cnn_same_start DIR SEED dump     # our init for SEED → DIR/w<SEED>.bin
//   /tmp/cnn_same_start DIR SEED          # train from it (order file from make_order.py)
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/io/project_io.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/project/project.h"
#include "engine/train/evaluator.h"

using namespace netloom::engine;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DIR SEED [dump]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1], seed = argv[2];
    const bool dump = argc > 3 && std::string(argv[3]) == "dump";
    Project project = loadProject("samples/fashion-cnn.netloom");
    DataSplit data = loadData(DatasetConfig{}, 0.0, 1);
    ComputeContext ctx;
    Model model(project.model().graph, ctx);
    model.initialize(std::stoull(seed), InitScheme::Default);
    std::vector<Parameter*> params = model.parameters();
    const std::string weightsFile = dir + "/w" + seed + ".bin";
    if (dump) {
        std::ofstream out(weightsFile, std::ios::binary);
        for (Parameter* p : params)
            out.write(reinterpret_cast<const char*>(p->value.data()), p->value.size() * 4);
        return 0;
    }
    std::ifstream in(weightsFile, std::ios::binary);
    for (Parameter* p : params)
        in.read(reinterpret_cast<char*>(p->value.data()), p->value.size() * 4);
    std::vector<int64_t> order(120000);
    std::ifstream(dir + "/order" + seed + ".bin", std::ios::binary)
        .read(reinterpret_cast<char*>(order.data()), order.size() * 8);
    auto loss = createLoss(project.training.loss);
    auto optimizer = createOptimizer(project.training.optimizer);
    Tensor x, y, grad;
    double sum = 0;
    int count = 0;
    for (int epoch = 0; epoch < 2; ++epoch)
        for (int b = 0; b < 60000 / 64; ++b) {
            data.train.fillBatch(order.data() + epoch * 60000 + b * 64, 64, x, &y);
            sum += loss->compute(model.forward(x, true), lossTarget(TargetKind::ClassLabels, x, y),
                                 grad);
            if (++count == 100) {
                std::printf("%.4f ", sum / count);
                sum = 0;
                count = 0;
            }
            model.backward(grad);
            optimizer->step(params);
        }
    EvalResult r = evaluate(model, data.test, *loss, TargetKind::ClassLabels);
    std::printf("\naccuracy %.4f\n", r.accuracy);
}
