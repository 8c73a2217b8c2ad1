// Batch weight snapshots (Trainer::setSnapshotEveryBatches): every n-th step's Batch event
// carries a copy of the weights, the others none; the copies are the weights of that moment
// (they differ from step to step, and the snapshot at an epoch's last batch equals the Epoch
// event's weights); 0 keeps the old behaviour (weights on Epoch events only).
#include <QtTest>

#include "engine/tasks/trainer_for.h"
#include "engine/train/trainer.h"
#include "support/same_weights.h"

using namespace netloom::engine;
using netloom::test::sameWeights;

namespace {

// Input 2 → Dense 2: an autoencoder of spiral points, tiny and fast.
Graph tinyAutoencoder() {
    Graph g;
    Params in;
    in.set("shape", std::string("2"));
    Params dense;
    dense.set("units", int64_t{2});
    g.addNode(Node{"n1", "Input", "point", in});
    g.addNode(Node{"n2", "Dense", "fc", dense});
    g.connect({"n1", 0, "n2", 0});
    return g;
}

TrainingConfig tinyConfig(int64_t epochs) {
    TrainingConfig c;
    c.task = "reconstruction";
    c.loss = "mse";
    c.batchSize = 10;
    c.epochs = epochs;
    c.threads = 1;
    c.dataset.kind = "synthetic";
    c.dataset.synthetic = "spiral";
    c.dataset.syntheticSamples = 200;
    c.dataset.testFraction = 0.2;  // 160 training points: 16 batches per epoch
    return c;
}

}  // namespace

class TestWeightSnapshots : public QObject {
    Q_OBJECT
private slots:
    void cadence_data() {
        QTest::addColumn<int>("every");
        QTest::addColumn<int>("epochs");
        QTest::newRow("off") << 0 << 2;
        QTest::newRow("every batch") << 1 << 1;
        QTest::newRow("every 3rd, across epochs") << 3 << 2;
        QTest::newRow("once per epoch") << 16 << 2;
        QTest::newRow("rarer than an epoch") << 20 << 3;
        QTest::newRow("negative = off") << -5 << 1;
    }
    void cadence() {
        QFETCH(int, every);
        QFETCH(int, epochs);
        Trainer trainer = trainerFor(tinyAutoencoder(), tinyConfig(epochs));
        trainer.setSnapshotEveryBatches(every);
        std::vector<RunEvent> events;
        const RunRecord r = trainer.run([&](const RunEvent& e) { events.push_back(e); });
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));

        int64_t batches = 0, snapshots = 0;
        std::shared_ptr<const WeightSet> previous;
        for (size_t i = 0; i < events.size(); ++i) {
            const RunEvent& e = events[i];
            if (e.kind == RunEvent::Kind::Epoch) {
                const auto w = e.weightsOf("model");
                QVERIFY(w);  // epochs always carry weights
                // The last batch's snapshot (taken after its update) is the epoch's weights.
                if (i > 0 && events[i - 1].weightsOf("model"))
                    QVERIFY(sameWeights(*events[i - 1].weightsOf("model"), *w));
            }
            if (e.kind != RunEvent::Kind::Step) continue;
            ++batches;
            const bool expected = every > 0 && e.step % every == 0;
            const std::shared_ptr<const WeightSet> w = e.weightsOf("model");
            QCOMPARE(bool(w), expected);
            if (!w) continue;
            ++snapshots;
            QVERIFY(w->count("n2"));
            QCOMPARE(w->at("n2").at("weight").dims(), (std::vector<int64_t>{2, 2}));
            // Training moves the weights between snapshots: each is a copy of its moment.
            if (previous) QVERIFY(!sameWeights(*previous, *w));
            previous = w;
        }
        QCOMPARE(batches, int64_t{16} * epochs);
        QCOMPARE(snapshots, every > 0 ? batches / every : 0);
    }
};

QTEST_GUILESS_MAIN(TestWeightSnapshots)
#include "test_weight_snapshots.moc"
