// `netloom sample FILE [--count N] [--temperature T] [--prompt TEXT] [--seed N] [--threads N]`:
// lines written by a trained sequence-generation project (engine/infer/text_sampler.h), one per
// output line. The vocabulary is read again from the project's text file, which must still give
// the vocabulary the network was trained with (its size is checked against the output layer).
// Also the sequence-generation part of `netloom eval`: test perplexity per character beside the
// character-unigram baseline's.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/data/text_reader.h"
#include "engine/data/unigram_baseline.h"
#include "engine/infer/text_sampler.h"
#include "engine/io/project_io.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/sequence_generation_recipe.h"

namespace netloom::app {

using namespace netloom::engine;

namespace {

const Network& trainedModel(const Project& project, const std::string& file,
                            const std::string& command) {
    if (taskFor(project.training).target() != TargetKind::NextToken)
        throw Error(file + " is a " + project.training.task + " project; `netloom " + command +
                    "` writes text with sequence-generation projects");
    const Network& net = project.model();
    if (net.weights.empty())
        throw Error(file + ": the project has no trained weights: train it with `netloom train " +
                    file + " --save " + file + "`");
    return net;
}

}  // namespace

int runSample(const std::vector<std::string>& args) {
    try {
        std::string file;
        SamplingOptions o;
        int threads = 0;
        ArgReader r{args};
        while (!r.done()) {
            const std::string a = r.next();
            if (a == "--count")
                o.count = r.integer(a, 1, 10000);
            else if (a == "--temperature")
                o.temperature = r.real(a, 0.0, 10.000001);
            else if (a == "--prompt")
                o.prompt = r.value(a);
            else if (a == "--seed")
                o.seed = static_cast<uint64_t>(r.integer(a, 0, (1LL << 53)));
            else if (a == "--threads")
                threads = static_cast<int>(r.integer(a, 1, 1024));
            else
                ArgReader::positional(a, file);
        }
        if (file.empty())
            throw Error(
                "usage: netloom sample FILE [--count N] [--temperature T] [--prompt TEXT] "
                "[--seed N] [--threads N]");
        if (threads > 0) omp_set_num_threads(threads);
        const Project project = loadProject(file);
        const Network& net = trainedModel(project, file, "sample");
        const Dataset text = readTextDataset(project.training.dataset);
        InferenceOptions io;
        io.chunk = o.count;
        InferenceSession session(net.graph, net.weights, TargetKind::NextToken, io);
        for (const std::string& line : sampleLines(session, text.vocabulary, o))
            std::printf("%s\n", line.c_str());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

int evalPerplexity(const std::string& file, const Project& project, bool asJson) {
    const Network& net = trainedModel(project, file, "eval");
    const TrainingConfig& c = project.training;
    const DataSplit data = loadData(c.dataset, 0.0, c.seed);
    InferenceSession session(net.graph, net.weights, TargetKind::NextToken);
    const SequenceEval test = evaluateSequences(session, data.test);
    const double unigram = unigramPerplexity(data.train, data.test);
    if (asJson) {
        nlohmann::json out{{"file", file},
                           {"task", c.task},
                           {"samples", data.test.count},
                           {"tokens", test.tokens},
                           {"test_loss", test.loss},
                           {"test_perplexity", test.perplexity},
                           {"unigram_perplexity", unigram}};
        std::printf("%s\n", out.dump().c_str());
    } else {
        std::printf(
            "test  loss %.4f per character  perplexity %.3f  (character-unigram baseline %.3f; "
            "%lld lines, %lld characters)\n",
            test.loss, test.perplexity, unigram, (long long)data.test.count,
            (long long)test.tokens);
    }
    return 0;
}

}  // namespace netloom::app
