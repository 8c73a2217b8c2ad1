// Hyperparameter search (engine/search): TPE concentrates its trials near the optimum of a
// synthetic objective and ends closer to it than random search on the same budget; the median
// pruner stops a trial worse than the median; grid enumerates every combination once; trials
// written to the store read back equal and a search continues from them; bad spaces are refused
// naming the parameter; a real search on a small Fashion-MNIST subset finishes and its best
// trial is applied to the project. A search kept in the project file (its "search" section)
// reads back equal, is refused on load with the parameter named when hostile, and is what
// `netloom search FILE` runs when no --space is given.
#include <QDir>
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/io/project_io.h"
#include "engine/search/median_pruner.h"
#include "engine/search/parzen_estimator.h"
#include "engine/search/project_search.h"
#include "engine/search/search_runner.h"
#include "engine/search/strategy.h"
#include "engine/search/trial_store.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::errorOf;
using netloom::test::sampleFile;
using netloom::test::tempDir;

namespace {

SearchDimension floatDim(std::string setting, double low, double high, bool log = false) {
    SearchDimension d;
    d.setting = std::move(setting);
    d.kind = SearchDimension::Kind::Float;
    d.low = low, d.high = high, d.log = log;
    return d;
}

SearchDimension nodeDim(std::string node, std::string param, SearchDimension::Kind kind, double low,
                        double high, bool log = false) {
    SearchDimension d;
    d.node = std::move(node), d.param = std::move(param);
    d.kind = kind;
    d.low = low, d.high = high, d.log = log;
    return d;
}

double num(const ParamValue& v) {
    if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
}

// A strategy on a synthetic objective (no training): returns the trials, maximising f.
template <typename F>
std::vector<Trial> optimise(const std::string& strategy, const SearchSpace& space, int n,
                            uint64_t seed, F f) {
    std::unique_ptr<SearchStrategy> s = findStrategy(strategy)->make();
    std::vector<Trial> trials;
    for (int i = 0; i < n; ++i) {
        Rng rng = Rng(seed).derive(static_cast<uint64_t>(i) + 1);
        Trial t;
        t.number = i;
        t.values = *s->suggest(space, trials, rng);
        t.curve = {f(t.values)};
        trials.push_back(t);
    }
    return trials;
}

// fashion-mlp on a small subset, one thread: a trial takes well under a second.
Project smallProject() {
    Project p = loadProject(sampleFile("fashion-mlp.netloom"));
    p.history.clear();
    p.model().weights.clear();
    return p;
}

SearchSpace smallSpace() {
    SearchSpace s;
    s.fixed = {{"epochs", int64_t{2}},
               {"dataset.limit_train", int64_t{800}},
               {"dataset.limit_test", int64_t{200}},
               {"validation_split", 0.25},
               {"threads", int64_t{1}}};
    s.dimensions = {floatDim("optimizer.lr", 1e-4, 3e-2, true),
                    nodeDim("fc1", "units", SearchDimension::Kind::Int, 16, 128, true)};
    return s;
}

}  // namespace

class SearchTest : public QObject {
    Q_OBJECT

private slots:
    void tpeDefaultsAreOptunas() {
        // Flat weights below 25 observations; above, the oldest n − 25 ramp from 1/n to 1.
        QCOMPARE(tpeObservationWeights(3), std::vector<double>(3, 1.0));
        const std::vector<double> w = tpeObservationWeights(30);
        QCOMPARE(w.size(), size_t{30});
        QCOMPARE(w[0], 1.0 / 30);
        QCOMPARE(w[4], 1.0);
        QVERIFY(w[1] > w[0] && w[2] > w[1] && w[3] > w[2]);
        // The first 10 trials are random: exactly random search's draws for the same seed.
        SearchSpace space;
        space.dimensions = {floatDim("optimizer.lr", 1e-4, 1e-1, true)};
        auto f = [](const std::vector<ParamValue>& v) { return -std::abs(std::log(num(v[0]))); };
        const auto tpe = optimise("tpe", space, 12, 7, f);
        const auto random = optimise("random", space, 12, 7, f);
        for (int i = 0; i < 10; ++i) QCOMPARE(tpe[i].values, random[i].values);
        QVERIFY(tpe[10].values != random[10].values);
    }

    void tpeConcentratesNearTheOptimumBetterThanRandom_data() {
        QTest::addColumn<int>("dims");
        QTest::newRow("1-D") << 1;
        QTest::newRow("2-D with a log axis") << 2;
    }
    void tpeConcentratesNearTheOptimumBetterThanRandom() {
        QFETCH(int, dims);
        SearchSpace space;
        space.dimensions = {floatDim("optimizer.lr", 0.0, 1.0)};
        if (dims == 2) space.dimensions.push_back(floatDim("optimizer.l2", 1e-5, 1.0, true));
        // Optimum at x = 0.73 (and y = 1e-3): the distance to it in [0, 1] units.
        auto distance = [&](const std::vector<ParamValue>& v) {
            double d2 = std::pow(num(v[0]) - 0.73, 2);
            if (dims == 2) d2 += std::pow((std::log10(num(v[1])) + 3.0) / 5.0, 2);
            return std::sqrt(d2);
        };
        auto f = [&](const std::vector<ParamValue>& v) { return -distance(v); };
        double tpeLate = 0, randomLate = 0, tpeBest = 0, randomBest = 0;
        const int seeds = 8, n = 50;
        for (uint64_t seed = 1; seed <= seeds; ++seed) {
            for (const std::string strategy : {"tpe", "random"}) {
                const auto trials = optimise(strategy, space, n, seed, f);
                double late = 0;  // mean distance of the last 20 trials
                for (int i = n - 20; i < n; ++i) late += distance(trials[i].values) / 20;
                const double best = -bestTrial(trials, true)->value();
                (strategy == "tpe" ? tpeLate : randomLate) += late / seeds;
                (strategy == "tpe" ? tpeBest : randomBest) += best / seeds;
            }
        }
        qInfo(
            "mean distance of the last 20 trials: tpe %.4f, random %.4f; best: tpe %.5f, "
            "random %.5f",
            tpeLate, randomLate, tpeBest, randomBest);
        QVERIFY(tpeLate < 0.5 * randomLate);
        QVERIFY(tpeBest < randomBest);
    }

    void tpeHandlesIntsAndChoices() {
        SearchSpace space;
        SearchDimension units = nodeDim("fc1", "units", SearchDimension::Kind::Int, 1, 1000, true);
        SearchDimension opt;
        opt.setting = "optimizer";
        opt.kind = SearchDimension::Kind::Categorical;
        opt.choices = {std::string("sgd"), std::string("adam"), std::string("lion")};
        space.dimensions = {units, opt};
        // Best: 40 units with lion.
        auto f = [](const std::vector<ParamValue>& v) {
            return -std::abs(std::log(num(v[0]) / 40.0)) -
                   (std::get<std::string>(v[1]) == "lion" ? 0.0 : 1.0);
        };
        const auto trials = optimise("tpe", space, 40, 3, f);
        int lion = 0;
        for (int i = 20; i < 40; ++i) {
            QVERIFY(std::holds_alternative<int64_t>(trials[i].values[0]));
            const int64_t u = std::get<int64_t>(trials[i].values[0]);
            QVERIFY(u >= 1 && u <= 1000);
            lion += std::get<std::string>(trials[i].values[1]) == "lion";
        }
        QVERIFY2(lion >= 14, qPrintable(QString("lion in %1 of the last 20").arg(lion)));
    }

    void medianPrunerStopsATrialWorseThanTheMedian() {
        PrunerConfig c;
        c.startupTrials = 3;
        const MedianPruner pruner(c, true);
        std::vector<Trial> done;
        for (double v : {0.70, 0.80, 0.90}) {
            Trial t;
            t.curve = {v, v + 0.05};
            done.push_back(t);
        }
        QCOMPARE(medianAtEpoch(done, 1), 0.80);
        const auto why = pruner.shouldPrune({0.75}, done);
        QVERIFY(why.has_value());
        QVERIFY(why->find("epoch 1") != std::string::npos);
        QVERIFY(!pruner.shouldPrune({0.85}, done));
        // Best so far counts: 0.86 at epoch 1 is above epoch 2's median 0.85.
        QVERIFY(!pruner.shouldPrune({0.86, 0.84}, done));
        QVERIFY(pruner.shouldPrune({0.70, 0.84}, done));
        // Not before `startupTrials` finished trials, nor within the warm-up, nor when off.
        QVERIFY(!pruner.shouldPrune({0.1}, {done[0], done[1]}));
        PrunerConfig warm = c;
        warm.warmupEpochs = 1;
        QVERIFY(!MedianPruner(warm, true).shouldPrune({0.1}, done));
        QVERIFY(MedianPruner(warm, true).shouldPrune({0.1, 0.1}, done));
        PrunerConfig off = c;
        off.type = "none";
        QVERIFY(!MedianPruner(off, true).shouldPrune({0.1}, done));
        // Minimising: higher is worse; pruned trials do not count towards the median.
        QVERIFY(MedianPruner(c, false).shouldPrune({0.95}, done));
        done[0].state = TrialState::Pruned;
        QCOMPARE(medianAtEpoch(done, 1), 0.85);
    }

    void medianPrunerStopsRealTrials() {
        // Trials of a hopeless learning rate (1e-6) after good ones are pruned after epoch 1.
        Project p = smallProject();
        SearchRecord r;
        r.space = smallSpace();
        r.space.fixed["epochs"] = int64_t{3};
        r.space.pruner.startupTrials = 2;
        r.space.dimensions = {floatDim("optimizer.lr", 1e-6, 3e-3, true)};
        r.strategy = "grid";
        r.space.gridPoints = 2;
        // The grid tries 3e-3 then 1e-6; run 3e-3 twice (a finished record) so two finished
        // trials exist before 1e-6 runs.
        Trial good;
        good.values = {3e-3};
        SearchControl control;
        SearchRecord first = r;
        first.strategy = "random";
        first.space.dimensions = {floatDim("optimizer.lr", 2.9e-3, 3e-3, true)};
        SearchOutcome warm = runSearch(p, first, {2, 0}, control, {});
        QCOMPARE(warm.trials.size(), size_t{2});
        for (Trial& t : warm.trials) {
            QCOMPARE(t.state, TrialState::Finished);
            QCOMPARE(t.curve.size(), size_t{3});
        }
        r.trials = warm.trials;
        r.trials[0].values = {3e-3};  // the grid's first point, so it is not tried again
        r.trials[1].values = {2.95e-3};
        const SearchOutcome out = runSearch(p, r, {3, 0}, control, {});
        QCOMPARE(out.trials.size(), size_t{3});
        const Trial& bad = out.trials[2];
        QCOMPARE(num(bad.values[0]), 1e-6);
        QCOMPARE(bad.state, TrialState::Pruned);
        QCOMPARE(bad.curve.size(), size_t{1});
        QVERIFY(bad.message.find("median") != std::string::npos);
    }

    void gridEnumeratesEveryCombinationOnce() {
        SearchSpace space;
        space.gridPoints = 3;
        SearchDimension opt;
        opt.setting = "optimizer";
        opt.kind = SearchDimension::Kind::Categorical;
        opt.choices = {std::string("adam"), std::string("sgd")};
        space.dimensions = {floatDim("optimizer.lr", 1e-3, 1e-1, true), opt,
                            nodeDim("fc1", "units", SearchDimension::Kind::Int, 1, 2)};
        QCOMPARE(gridSize(space), size_t{3 * 2 * 2});
        std::unique_ptr<SearchStrategy> grid = findStrategy("grid")->make();
        std::vector<Trial> trials;
        Rng rng(1);
        while (auto v = grid->suggest(space, trials, rng)) {
            Trial t;
            t.values = *v;
            trials.push_back(t);
            QVERIFY(trials.size() <= 12);
        }
        QCOMPARE(trials.size(), size_t{12});
        QCOMPARE(num(trials[0].values[0]), 1e-3);
        QVERIFY(std::abs(num(trials[4].values[0]) - 1e-2) < 1e-15);
        QCOMPARE(num(trials[11].values[0]), 1e-1);
        QCOMPARE(trials[0].values[1], ParamValue(std::string("adam")));
        QCOMPARE(trials[2].values[1], ParamValue(std::string("sgd")));
        QCOMPARE(trials[0].values[2], ParamValue(int64_t{1}));
        QCOMPARE(trials[1].values[2], ParamValue(int64_t{2}));
        for (size_t i = 0; i < trials.size(); ++i)
            for (size_t j = i + 1; j < trials.size(); ++j)
                QVERIFY(trials[i].values != trials[j].values);
    }

    void badSpacesAreRefusedNamingTheParameter_data() {
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty range") << R"({"setting": "optimizer.lr", "low": 0.01, "high": 0.01})"
                                     << "is empty";
        QTest::newRow("inverted range")
            << R"({"setting": "optimizer.lr", "low": 0.1, "high": 0.01})"
            << "is inverted";
        QTest::newRow("log touching 0")
            << R"({"setting": "optimizer.weight_decay", "low": 0, "high": 0.01, "log": true})"
            << "touches 0";
        QTest::newRow("outside the setting's range")
            << R"({"setting": "optimizer.lr", "low": 0, "high": 0.01})"
            << "must be > 0";
        QTest::newRow("unknown setting")
            << R"({"setting": "optimizer.learning_rate", "low": 0.001, "high": 0.01})"
            << "unknown setting 'optimizer.learning_rate'";
        QTest::newRow("unknown node")
            << R"({"node": "fc9", "param": "units", "type": "int", "low": 8, "high": 64})"
            << "no layer named 'fc9'";
        QTest::newRow("unknown parameter")
            << R"({"node": "fc1", "param": "unit", "type": "int", "low": 8, "high": 64})"
            << "has no parameter 'unit' (it has: units";
        QTest::newRow("float for a whole number")
            << R"({"node": "fc1", "param": "units", "low": 8, "high": 64})"
            << "use int";
        QTest::newRow("not used by the optimizer")
            << R"({"setting": "optimizer.momentum", "low": 0.1, "high": 0.9})"
            << "is not used with the project's settings";
        QTest::newRow("bad choice")
            << R"({"setting": "optimizer", "type": "categorical", "choices": ["adam", "adamm"]})"
            << "value adamm";
    }
    void badSpacesAreRefusedNamingTheParameter() {
        QFETCH(QString, parameter);
        QFETCH(QString, expected);
        const std::string text = R"({"parameters": [)" + parameter.toStdString() + "]}";
        const SearchSpace space = searchSpaceFromText(text, "space.json");
        const QString error = errorOf([&] { validateSpace(space, smallProject()); });
        QVERIFY2(error.startsWith("search parameter '"), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        // runSearch refuses it before anything runs: no trial, nothing persisted.
        SearchRecord r;
        r.space = space;
        SearchControl control;
        int persisted = 0;
        QVERIFY(!errorOf([&] {
                     runSearch(smallProject(), r, {3, 0}, control,
                               [&](const SearchRecord&) { ++persisted; });
                 }).isEmpty());
        QCOMPARE(persisted, 0);
    }

    void otherRefusals() {
        const Project p = smallProject();
        QVERIFY(errorOf([&] { validateSpace(SearchSpace{}, p); }).contains("no parameters"));
        QVERIFY(errorOf([] {
                    searchSpaceFromText(R"({"parameters": [{"type": "ratio"}]})", "s");
                }).contains("/parameters/0/type"));
        SearchRecord r;
        r.space = smallSpace();
        r.strategy = "annealing";
        SearchControl control;
        QVERIFY(errorOf([&] {
                    runSearch(p, r, {3, 0}, control, {});
                }).contains("unknown search strategy 'annealing'"));
        SearchSpace fixedBad = smallSpace();
        fixedBad.fixed["epochz"] = int64_t{2};
        QVERIFY(errorOf([&] { validateSpace(fixedBad, p); }).contains("'epochz'"));
    }

    void trialsReadBackAndTheSearchContinues() {
        const Project p = smallProject();
        const TrialStore store(TrialStore::pathFor((tempDir() + "/mlp.netloom").toStdString()));
        store.remove();
        QVERIFY(!store.load().has_value());
        SearchRecord r;
        r.space = smallSpace();
        r.strategy = "random";
        r.seed = 5;
        SearchControl control;
        int saves = 0;
        auto persist = [&](const SearchRecord& rec) {
            store.save(rec);
            ++saves;
        };
        // Interrupted after 2 of 4 trials: the store holds the 2.
        runSearch(p, r, {2, 0}, control, persist);
        QCOMPARE(saves, 2);
        std::optional<SearchRecord> loaded = store.load();
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->trials.size(), size_t{2});
        QCOMPARE(loaded->space, r.space);
        QCOMPARE(searchRecordToText(*loaded), searchRecordToText(*store.load()));
        const std::vector<Trial> firstTwo = loaded->trials;
        // Continued to 4: the first two kept as they were, numbering goes on, and the new
        // trials' values are what an uninterrupted search draws (same seed and numbers).
        const SearchOutcome cont = runSearch(p, *loaded, {4, 0}, control, persist);
        QCOMPARE(cont.trials.size(), size_t{4});
        QCOMPARE(cont.trials[0], firstTwo[0]);
        QCOMPARE(cont.trials[1], firstTwo[1]);
        QCOMPARE(cont.trials[3].number, int64_t{3});
        QCOMPARE(store.load()->trials.size(), size_t{4});
        std::unique_ptr<SearchStrategy> random = findStrategy("random")->make();
        for (int64_t i = 2; i < 4; ++i) {
            Rng rng = Rng(r.seed).derive(static_cast<uint64_t>(i) + 1);
            QCOMPARE(cont.trials[i].values, *random->suggest(r.space, {}, rng));
        }
        // A stop from another thread ends the running trial, which is not kept.
        SearchControl stopper;
        SearchCallbacks cb;
        cb.epochEnded = [&](const Trial&) { stopper.stop(); };
        const SearchOutcome stopped = runSearch(p, *store.load(), {6, 0}, stopper, persist, cb);
        QCOMPARE(stopped.trials.size(), size_t{4});
        QCOMPARE(stopped.endReason, std::string("stopped"));
        QCOMPARE(store.load()->trials.size(), size_t{4});
        // A broken file is refused naming it.
        const std::string text = searchRecordToText(*store.load());
        QVERIFY(errorOf([&] {
                    searchRecordFromText(text.substr(0, text.size() / 2), "half.search.json");
                }).contains("half.search.json"));
    }

    void aRealSearchFinishesAndItsBestIsApplied() {
        const Project p = smallProject();
        SearchRecord r;
        r.space = smallSpace();
        r.strategy = "tpe";
        SearchControl control;
        int epochs = 0;
        SearchCallbacks cb;
        cb.epochEnded = [&](const Trial&) { ++epochs; };
        const SearchOutcome out = runSearch(p, r, {4, 0}, control, {}, cb);
        QCOMPARE(out.trials.size(), size_t{4});
        QCOMPARE(epochs, 8);
        for (const Trial& t : out.trials) {
            QCOMPARE(t.state, TrialState::Finished);
            QCOMPARE(t.curve.size(), size_t{2});
            QVERIFY(t.value() > 0.1 && t.value() <= 1.0);  // learned something on 10 classes
            QVERIFY(num(t.values[0]) >= 1e-4 && num(t.values[0]) <= 3e-2);
            QVERIFY(std::get<int64_t>(t.values[1]) >= 16 && std::get<int64_t>(t.values[1]) <= 128);
        }
        r.trials = out.trials;
        const Trial* best = bestTrial(r.trials, true);
        QVERIFY(best);
        Project withWeights = p;
        withWeights.model().weights["n3"]["weight"] = {};
        const Project applied = applyBestTrial(withWeights, r);
        QCOMPARE(applied.training.optimizer.lr, num(best->values[0]));
        QCOMPARE(applied.model().graph.findNodeByName("fc1")->params.getInt("units"),
                 std::get<int64_t>(best->values[1]));
        QCOMPARE(applied.training.epochs, p.training.epochs);  // fixed trial settings stay out
        QVERIFY(applied.model().weights.empty());  // fc1 changed: old weights no longer fit
        // Through the project file.
        const std::string path = (tempDir() + "/applied.netloom").toStdString();
        saveProject(applied, path);
        QCOMPARE(loadProject(path).training.optimizer.lr, num(best->values[0]));
    }

    // The project file's "search" section: space, strategy and budget read back equal; a
    // project without one writes none and reads back none.
    void projectSearchRoundTrips() {
        Project p = smallProject();
        QVERIFY(!p.search);
        ProjectSearch s;
        s.space = smallSpace();
        SearchDimension opt;
        opt.setting = "optimizer";
        opt.kind = SearchDimension::Kind::Categorical;
        opt.choices = {std::string("adam"), std::string("adamw")};
        s.space.dimensions.push_back(opt);
        s.space.metric = "val_loss";
        s.space.maximize = false;
        s.space.pruner = {"none", 3, 1};
        s.space.gridPoints = 4;
        s.strategy = "random";
        s.trials = 7;
        s.seconds = 12.5;
        p.search = s;
        const std::string path = (tempDir() + "/stored-search.netloom").toStdString();
        saveProject(p, path);
        const Project back = loadProject(path);
        QVERIFY(back.search);
        QVERIFY(*back.search == s);
        QVERIFY_THROWS_NO_EXCEPTION(validateProjectSearch(back));

        p.search.reset();
        saveProject(p, path);
        QVERIFY(!loadProject(path).search);
        std::ifstream in(path);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        QVERIFY(text.find("\"search\"") == std::string::npos);

        // Format version 3 added the section: a version 2 file (none) reads as before, and a
        // file of this version names it so an older NetLoom refuses rather than drops it.
        QCOMPARE(kProjectVersion, 3);
        const size_t v = text.find("\"version\": 3");
        QVERIFY(v != std::string::npos);
        std::string v2 = text;
        v2.replace(v, 12, "\"version\": 2");
        QVERIFY(!parseProject(v2, "v2.netloom").search);
    }

    // A hostile stored search is refused when the project is checked on load (the window and
    // `netloom search` do), with the same messages as a space file on the command line and the
    // section named; a malformed one already by the reader, with its JSON path.
    void hostileProjectSearchIsRefusedNamingTheParameter_data() {
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty range") << R"({"setting": "optimizer.lr", "low": 0.01, "high": 0.01})"
                                     << "search parameter 'optimizer.lr': the range [0.01, 0.01] "
                                        "is empty";
        QTest::newRow("inverted range")
            << R"({"setting": "optimizer.lr", "low": 0.1, "high": 0.01})"
            << "search parameter 'optimizer.lr': the range [0.1, 0.01] is inverted";
        QTest::newRow("log touching 0")
            << R"({"setting": "optimizer.weight_decay", "low": 0, "high": 0.01, "log": true})"
            << "search parameter 'optimizer.weight_decay': the log range [0, 0.01] touches 0";
        QTest::newRow("unknown setting")
            << R"({"setting": "optimizer.learning_rate", "low": 0.001, "high": 0.01})"
            << "search parameter 'optimizer.learning_rate': unknown setting";
        QTest::newRow("unknown layer parameter")
            << R"({"node": "fc1", "param": "unit", "type": "int", "low": 8, "high": 64})"
            << "search parameter 'fc1.unit': layer 'fc1' (Dense) has no parameter 'unit'";
    }
    void hostileProjectSearchIsRefusedNamingTheParameter() {
        QFETCH(QString, parameter);
        QFETCH(QString, expected);
        Project p = smallProject();
        p.search = ProjectSearch{};
        p.search->space =
            searchSpaceFromText(R"({"parameters": [)" + parameter.toStdString() + "]}", "test");
        const std::string path = (tempDir() + "/hostile.netloom").toStdString();
        saveProject(p, path);
        const Project back = loadProject(path);
        const QString error = errorOf([&] { validateProjectSearch(back); });
        QVERIFY2(error.startsWith("the project's search section: " + expected), qPrintable(error));
    }
    void otherStoredSearchRefusals() {
        Project p = smallProject();
        p.search = ProjectSearch{};
        p.search->space = smallSpace();
        p.search->strategy = "annealing";
        const QString strategy = errorOf([&] { validateProjectSearch(p); });
        QVERIFY2(strategy.startsWith("the project's search section: strategy must be one of ") &&
                     strategy.endsWith("got 'annealing'"),
                 qPrintable(strategy));
        // Malformed: the reader names the path inside the file.
        const std::string path = (tempDir() + "/malformed.netloom").toStdString();
        p.search->strategy = "tpe";
        saveProject(p, path);
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        const size_t at = text.find("\"type\": \"float\"");
        QVERIFY(at != std::string::npos);
        text.replace(at, 15, "\"type\": \"ratio\"");
        const QString error = errorOf([&] { parseProject(text, "malformed.netloom"); });
        QVERIFY2(error.contains("/search/space/parameters/0/type") && error.contains("ratio"),
                 qPrintable(error));
    }

    // `netloom search FILE` without --space runs the space kept in the project, with its
    // strategy and trial budget, and records it in FILE.search.json; a hostile stored space
    // stops it before any trial, naming the parameter.
    void netloomSearchUsesTheStoredSpace() {
        const QString dir = tempDir() + "/stored";
        QDir().mkpath(dir);
        Project p = smallProject();
        p.search = ProjectSearch{};
        p.search->space = smallSpace();
        p.search->strategy = "random";
        p.search->trials = 2;
        const QString file = dir + "/mlp.netloom";
        saveProject(p, file.toStdString());
        QProcess proc;
        proc.start(NETLOOM_BINARY, {"search", file});
        QVERIFY(proc.waitForFinished(300000));
        const QString out = proc.readAllStandardOutput();
        QVERIFY2(proc.exitCode() == 0, qPrintable(out + proc.readAllStandardError()));
        QVERIFY2(
            out.contains("trial   0") && out.contains("trial   1") && !out.contains("trial   2"),
            qPrintable(out));
        QVERIFY2(out.contains("optimizer.lr=") && out.contains("fc1.units="), qPrintable(out));
        const auto stored = TrialStore(TrialStore::pathFor(file.toStdString())).load();
        QVERIFY(stored);
        QVERIFY(stored->space == p.search->space);
        QCOMPARE(QString::fromStdString(stored->strategy), QString("random"));
        QCOMPARE(stored->trials.size(), size_t{2});

        p.search->space.dimensions[0].low = 0;  // a log range touching 0
        const QString hostile = dir + "/hostile.netloom";
        saveProject(p, hostile.toStdString());
        QProcess refused;
        refused.start(NETLOOM_BINARY, {"search", hostile});
        QVERIFY(refused.waitForFinished(60000));
        QCOMPARE(refused.exitCode(), 1);
        const QString err = refused.readAllStandardError();
        QVERIFY2(err.contains("the project's search section: search parameter 'optimizer.lr': "
                              "the log range [0, 0.03] touches 0"),
                 qPrintable(err));
        QVERIFY(!std::filesystem::exists(TrialStore::pathFor(hostile.toStdString())));
    }
};

QTEST_GUILESS_MAIN(SearchTest)
#include "test_search.moc"
