// Augmentation of image training batches (engine/data/transforms, train/training_transforms):
// crop, flip and rotation/zoom of small known images against hand-computed values, random
// erasing within its area and aspect ranges, the same seed giving the same batches, the
// settings refused with their names, and, through a real run, validation and test batches
// that augmentation never touches.
#include <QtTest>

#include <cmath>
#include <memory>
#include <set>

#include "engine/core/error.h"
#include "engine/data/batch_source.h"
#include "engine/data/transforms/horizontal_flip.h"
#include "engine/data/transforms/random_affine.h"
#include "engine/data/transforms/random_crop.h"
#include "engine/data/transforms/random_erasing.h"
#include "engine/data/transforms/registry.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/settings/settings.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/trainer.h"
#include "engine/train/training_transforms.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::errorOf;

namespace {

// {n, 1, h, w} filled with 1, 2, 3, ... per image (row-major), as a hand-written image reads.
Tensor counting(int64_t n, int64_t h, int64_t w) {
    Tensor x({n, 1, h, w});
    for (int64_t i = 0; i < x.size(); ++i) x[i] = float(i % (h * w) + 1);
    return x;
}

std::vector<float> image(const Tensor& x, int64_t i) {
    const int64_t s = x.size() / x.batch();
    return std::vector<float>(x.data() + i * s, x.data() + (i + 1) * s);
}

bool near(const std::vector<float>& a, const std::vector<float>& b, float tol = 1e-5f) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::abs(a[i] - b[i]) > tol) return false;
    return true;
}

QByteArray text(const std::vector<float>& v) {
    QStringList s;
    for (float f : v) s << QString::number(f);
    return s.join(' ').toUtf8();
}

// A uint8 image set {1, 28, 28} (pixels i·37 mod 256) labelled 0..9.
Dataset imageSet(int64_t count) {
    Dataset d;
    d.name = "images";
    d.sampleShape = Shape{1, 28, 28};
    d.count = count;
    for (int64_t i = 0; i < count * 784; ++i) d.pixels.push_back(uint8_t((i * 37 + 11) % 256));
    for (int64_t i = 0; i < count; ++i) d.labels.push_back(int32_t(i % 10));
    d.numClasses = 10;
    return d;
}

std::vector<Batch> epoch(BatchSource& source, const std::vector<int64_t>& order) {
    source.start(order);
    std::vector<Batch> out;
    while (const Batch* b = source.next()) out.push_back(*b);
    return out;
}

bool sameTensor(const Tensor& a, const Tensor& b) {
    return a.dims() == b.dims() && std::equal(a.data(), a.data() + a.size(), b.data());
}

TrainingConfig everyAugmentation() {
    TrainingConfig c;
    c.augmentation.cropPadding = 3;
    c.augmentation.flip = true;
    c.augmentation.rotation = 15;
    c.augmentation.zoom = 0.1;
    c.augmentation.erasing = 0.5;
    c.augmentation.noise = 0.05;
    return c;
}

constexpr int64_t kTrain = 1280, kTest = 300;

std::shared_ptr<const DataSplit> fashion(double validationSplit) {
    DatasetConfig dc;
    dc.limitTrain = kTrain;
    dc.limitTest = kTest;
    return std::make_shared<const DataSplit>(loadData(dc, validationSplit, 1));
}

}  // namespace

class TestAugmentation : public QObject {
    Q_OBJECT
private slots:
    void flipMirrorsEachRow() {
        Tensor x = counting(1, 3, 4);
        HorizontalFlip(1.0, 7).transform(x);
        QCOMPARE(image(x, 0), (std::vector<float>{4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9}));
        Tensor y = counting(1, 3, 4);
        HorizontalFlip(0.0, 7).transform(y);
        QCOMPARE(image(y, 0), image(counting(1, 3, 4), 0));
        // p = 0.5: about half of 400 images flipped, and every image either flipped or not.
        Tensor many = counting(400, 3, 4);
        HorizontalFlip(0.5, 3).transform(many);
        int flipped = 0;
        for (int64_t i = 0; i < 400; ++i) {
            const auto v = image(many, i);
            QVERIFY(v == image(x, 0) || v == image(counting(1, 3, 4), 0));
            flipped += v == image(x, 0);
        }
        QVERIFY2(flipped > 150 && flipped < 250, qPrintable(QString::number(flipped)));
    }

    // Padding 1: the window at offset (dx, dy) ∈ [0, 2]² of the padded image.
    void cropShiftsWithBackground() {
        const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        std::vector<float> out(9);
        RandomCrop::crop(in.data(), out.data(), 3, 3, 1, 0, 2, -1.0f);  // right 1, up 1
        QCOMPARE(out, (std::vector<float>{-1, 4, 5, -1, 7, 8, -1, -1, -1}));
        RandomCrop::crop(in.data(), out.data(), 3, 3, 1, 1, 1, -1.0f);  // centred: unchanged
        QCOMPARE(out, in);
        RandomCrop::crop(in.data(), out.data(), 3, 3, 1, 2, 0, 0.0f);  // left 1, down 1
        QCOMPARE(out, (std::vector<float>{0, 0, 0, 2, 3, 0, 5, 6, 0}));
        // The transform picks one of the 9 windows per image, and over 200 images all of them.
        Tensor x = counting(200, 3, 3);
        RandomCrop(1, 0.0f, 5).transform(x);
        std::set<std::pair<int, int>> seen;
        for (int64_t i = 0; i < 200; ++i) {
            bool found = false;
            for (int dy = 0; dy <= 2 && !found; ++dy)
                for (int dx = 0; dx <= 2 && !found; ++dx) {
                    RandomCrop::crop(in.data(), out.data(), 3, 3, 1, dx, dy, 0.0f);
                    if (out == image(x, i)) {
                        found = true;
                        seen.insert({dx, dy});
                    }
                }
            QVERIFY2(found, text(image(x, i)).constData());
        }
        QCOMPARE(int(seen.size()), 9);
    }

    void rotationAndZoomByBilinearInverseMapping() {
        const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        std::vector<float> out(9);
        // 90° counter-clockwise as seen: the right column becomes the top row.
        RandomAffine::warp(in.data(), out.data(), 3, 3, 90, 1.0, 0.0f);
        QVERIFY2(near(out, {3, 6, 9, 2, 5, 8, 1, 4, 7}), text(out).constData());
        RandomAffine::warp(in.data(), out.data(), 3, 3, -90, 1.0, 0.0f);
        QVERIFY2(near(out, {7, 4, 1, 8, 5, 2, 9, 6, 3}), text(out).constData());
        // 45°: the top-left output pixel comes from (x 1, y 1 − √2), between the background
        // row above the image (weight 2 − √2... of fill 0) and pixel 2: 2·(2 − √2) = 1.17157.
        RandomAffine::warp(in.data(), out.data(), 3, 3, 45, 1.0, 0.0f);
        QVERIFY2(std::abs(out[0] - 2 * (2 - std::sqrt(2.0f))) < 1e-5f, text(out).constData());
        QVERIFY2(std::abs(out[4] - 5) < 1e-5f, text(out).constData());  // the centre stays
        // Zoom ×2 about the centre of a 5×5 image: out(0,0) = in(1,1) = 7, out(1,1) = the mean
        // of in(1..2, 1..2) = (7 + 8 + 12 + 13) / 4 = 10.
        std::vector<float> five(25), z(25);
        for (int i = 0; i < 25; ++i) five[size_t(i)] = float(i + 1);
        RandomAffine::warp(five.data(), z.data(), 5, 5, 0, 2.0, 0.0f);
        QVERIFY2(std::abs(z[0] - 7) < 1e-5f && std::abs(z[6] - 10) < 1e-5f &&
                     std::abs(z[12] - 13) < 1e-5f,
                 text(z).constData());
        // Zoom ½: the corners come from outside the image, the background value.
        RandomAffine::warp(five.data(), z.data(), 5, 5, 0, 0.5, -1.0f);
        QCOMPARE(z[0], -1.0f);
        QCOMPARE(z[12], 13.0f);
        // The transform: angles within ± degrees keep the centre and leave a 1-pixel... image
        // of constant value constant where it samples inside.
        Tensor x({50, 1, 9, 9});
        x.fill(0.5f);
        RandomAffine(10, 0.0, 0.0f, 2).transform(x);
        for (int64_t i = 0; i < 50; ++i) QCOMPARE(x[i * 81 + 40], 0.5f);
    }

    void erasingRespectsAreaAndAspect_data() {
        QTest::addColumn<double>("areaMin");
        QTest::addColumn<double>("areaMax");
        QTest::addColumn<double>("aspectMin");
        QTest::addColumn<double>("aspectMax");
        QTest::newRow("paper") << 0.02 << 0.4 << 0.3 << 3.3;
        QTest::newRow("small, wide") << 0.05 << 0.1 << 0.3 << 0.6;
        QTest::newRow("large, tall") << 0.3 << 0.5 << 1.5 << 3.0;
    }
    void erasingRespectsAreaAndAspect() {
        QFETCH(double, areaMin);
        QFETCH(double, areaMax);
        QFETCH(double, aspectMin);
        QFETCH(double, aspectMax);
        const int64_t n = 500, h = 28, w = 28;
        Tensor x({n, 1, h, w});
        x.fill(0.0f);
        ErasingOptions o{0.5, areaMin, areaMax, aspectMin, aspectMax, 1.0f, 1.0f};
        RandomErasing erasing(o, 11);
        erasing.transform(x);
        int erased = 0;
        for (int64_t i = 0; i < n; ++i) {
            // The bounding box of the pixels set to 1 must be full: one rectangle.
            int64_t x0 = w, y0 = h, x1 = -1, y1 = -1, count = 0;
            for (int64_t y = 0; y < h; ++y)
                for (int64_t xx = 0; xx < w; ++xx)
                    if (x[i * h * w + y * w + xx] == 1.0f) {
                        x0 = std::min(x0, xx), x1 = std::max(x1, xx);
                        y0 = std::min(y0, y), y1 = std::max(y1, y);
                        ++count;
                    }
            const ErasedRect r = erasing.lastRects()[size_t(i)];
            if (count == 0) {
                QCOMPARE(r.h, int64_t(0));
                continue;
            }
            ++erased;
            const int64_t rw = x1 - x0 + 1, rh = y1 - y0 + 1;
            QCOMPARE(count, rw * rh);
            QCOMPARE(r.x, x0);
            QCOMPARE(r.y, y0);
            QCOMPARE(r.w, rw);
            QCOMPARE(r.h, rh);
            const double area = double(count) / double(h * w), aspect = double(rh) / double(rw);
            QVERIFY2(area >= areaMin && area <= areaMax, qPrintable(QString::number(area)));
            QVERIFY2(aspect >= aspectMin && aspect <= aspectMax,
                     qPrintable(QString::number(aspect)));
        }
        QVERIFY2(erased > 200 && erased < 300, qPrintable(QString::number(erased)));
        // Values are uniform in [value_min, value_max].
        Tensor y({200, 1, h, w});
        y.fill(-5.0f);
        RandomErasing(ErasingOptions{1.0, 0.2, 0.4, 0.5, 2.0, 0.25f, 0.75f}, 3).transform(y);
        double sum = 0;
        int64_t values = 0;
        for (int64_t i = 0; i < y.size(); ++i)
            if (y[i] != -5.0f) {
                QVERIFY(y[i] >= 0.25f && y[i] <= 0.75f);
                sum += y[i];
                ++values;
            }
        QVERIFY(values > 200 * 784 / 10);
        QVERIFY2(std::abs(sum / double(values) - 0.5) < 0.01, qPrintable(QString::number(sum)));
    }

    void eachTransformRefusesWhatIsNotAnImage() {
        Tensor flat({4, 10});
        flat.fill(0.0f);
        QVERIFY(errorOf([&] {
                    RandomCrop(2, 0, 1).transform(flat);
                }).contains("random crop needs images"));
        QVERIFY(errorOf([&] { HorizontalFlip(0.5, 1).transform(flat); }).contains("needs images"));
        QVERIFY(
            errorOf([&] { RandomAffine(5, 0, 0, 1).transform(flat); }).contains("needs images"));
        QVERIFY(errorOf([&] {
                    RandomErasing(ErasingOptions{}, 1).transform(flat);
                }).contains("needs images"));
        QVERIFY(errorOf([&] {
                    createTransform({"random_erasing", {{"area_min", 0.5}, {"area_max", 0.2}}}, 1);
                }).contains("area range"));
        QVERIFY(errorOf([&] {
                    createTransform({"random_crop", {{"padding", 2.5}}}, 1);
                }).contains("whole number"));
        QVERIFY(errorOf([&] {
                    createTransform({"random_affine", {{"degrees", 200}}}, 1);
                }).contains("degrees must be between 0 and 180"));
    }

    // The run's chain through the batch source: the same seed gives the same batches (with
    // or without prefetching), another seed others; x itself stays as loaded.
    void sameSeedSameBatches() {
        const Dataset data = imageSet(256);
        TrainingConfig c = everyAugmentation();
        auto batches = [&](uint64_t seed, bool prefetch) {
            c.seed = seed;
            BatchSourceOptions o;
            o.prefetch = prefetch;
            BatchSource source(data, 64, trainingTransformChain(c, TargetKind::ClassLabels, data),
                               o);
            EpochOrder order(data.count, 9);
            std::vector<Batch> all = epoch(source, order.next());
            for (const Batch& b : epoch(source, order.next())) all.push_back(b);
            return all;
        };
        const auto a = batches(1, true), b = batches(1, true), sync = batches(1, false);
        const auto other = batches(2, true);
        QCOMPARE(a.size(), size_t(8));
        int changed = 0;
        for (size_t i = 0; i < a.size(); ++i) {
            QVERIFY(a[i].hasTransformed);
            QVERIFY(sameTensor(a[i].transformed, b[i].transformed));
            QVERIFY(sameTensor(a[i].transformed, sync[i].transformed));
            QVERIFY(!sameTensor(a[i].transformed, other[i].transformed));
            QVERIFY(sameTensor(a[i].x, other[i].x));  // the loaded batch itself is untouched
            changed += !sameTensor(a[i].transformed, a[i].x);
        }
        QCOMPARE(changed, 8);
    }

    void chainFollowsTheSettings() {
        const Dataset images = imageSet(4);
        TrainingConfig c = everyAugmentation();
        const auto specs = trainingTransforms(c, TargetKind::ClassLabels, images);
        QStringList names;
        for (const TransformSpec& s : specs) names << QString::fromStdString(s.name);
        QCOMPARE(names, (QStringList{"random_crop", "horizontal_flip", "random_affine",
                                     "random_erasing", "input_noise"}));
        // Signed scaling: the background and the erasing values follow it.
        Dataset signedImages = images;
        signedImages.scale = 2.0f / 255.0f;
        signedImages.offset = -1.0f;
        const auto s = trainingTransforms(c, TargetKind::ClassLabels, signedImages);
        QCOMPARE(s[0].params.at("fill"), -1.0);
        QCOMPARE(s[3].params.at("value_min"), -1.0);
        QCOMPARE(s[3].params.at("value_max"), 1.0);
        // Not for other tasks, not for non-images, nothing when off.
        QVERIFY(trainingTransforms(c, TargetKind::Regression, images).empty());
        QVERIFY(trainingTransforms(c, TargetKind::Reconstruction, images).empty());
        Dataset features;
        features.sampleShape = Shape{2};
        features.count = 1;
        features.features = {0.0f, 1.0f};
        QVERIFY(trainingTransforms(c, TargetKind::ClassLabels, features).empty());
        QVERIFY(trainingTransforms(TrainingConfig{}, TargetKind::ClassLabels, images).empty());
    }

    void badSettingsAreRefusedByName_data() {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("value");
        QTest::newRow("crop too large") << "augmentation.crop_padding"
                                        << "17";
        QTest::newRow("crop negative") << "training.augmentation.crop_padding"
                                       << "-1";
        QTest::newRow("rotation") << "augmentation.rotation"
                                  << "90";
        QTest::newRow("zoom") << "augmentation.zoom"
                              << "0.7";
        QTest::newRow("erasing p") << "augmentation.erasing"
                                   << "1.5";
        QTest::newRow("area 0") << "augmentation.erasing_area_min"
                                << "0";
        QTest::newRow("noise") << "augment_noise"
                               << "2";
        QTest::newRow("flip") << "augmentation.flip"
                              << "maybe";
    }
    void badSettingsAreRefusedByName() {
        QFETCH(QString, setting);
        QFETCH(QString, value);
        TrainingConfig c;
        const SettingDef* d = findSetting(setting.toStdString());
        QVERIFY(d);
        const QString e = errorOf([&] { setSettingFromText(c, *d, value.toStdString()); });
        QVERIFY2(e.contains(QString::fromStdString(d->qualifiedName())), qPrintable(e));
        QCOMPARE(c, TrainingConfig{});
    }

    void invertedErasingRangesAreRefused() {
        TrainingConfig c;
        c.augmentation.erasing = 0.5;
        c.augmentation.erasingAreaMin = 0.3;
        c.augmentation.erasingAreaMax = 0.1;
        QString e = errorOf([&] { validateTrainingConfig(c); });
        QVERIFY2(e.contains("training.augmentation.erasing_area_max"), qPrintable(e));
        c.augmentation.erasingAreaMax = 0.4;
        c.augmentation.erasingAspectMin = 2;
        c.augmentation.erasingAspectMax = 1;
        e = errorOf([&] { validateTrainingConfig(c); });
        QVERIFY2(e.contains("training.augmentation.erasing_aspect_max"), qPrintable(e));
        c.augmentation.erasing = 0;  // off: its ranges do not matter
        QVERIFY(errorOf([&] { validateTrainingConfig(c); }).isEmpty());
    }

    // A real run with heavy augmentation and a learning rate too small to move any weight
    // (1e-30: every update rounds away), so the network stays at its initial weights: the
    // training losses differ from an unaugmented run's, but the validation and test figures
    // are bit for bit those of the unaugmented run, i.e. of clean batches.
    void validationAndTestBatchesAreUntouched() {
        if (netloom::test::fashionDir().empty()) QSKIP("Fashion-MNIST is not installed");
        Graph g;
        Node in{"n1", "Input", "image", {}};
        in.params.set("shape", std::string("1,28,28"));
        g.addNode(in);
        g.addNode({"n2", "Flatten", "flatten", {}});
        Node dense{"n3", "Dense", "out", {}};
        dense.params.set("units", int64_t(10));
        g.addNode(dense);
        g.connect({"n1", 0, "n2", 0});
        g.connect({"n2", 0, "n3", 0});
        TrainingConfig c;
        c.epochs = 2;
        c.validationSplit = 0.1;
        c.optimizer.type = "sgd";
        c.optimizer.lr = 1e-30;
        c.dataset.limitTrain = kTrain;
        c.dataset.limitTest = kTest;
        const auto data = fashion(c.validationSplit);
        struct Run {
            RunRecord record;
            std::vector<double> losses;
        };
        auto run = [&](const TrainingConfig& config) {
            Run r;
            Trainer t = trainerFor(g, config);
            t.setData(data);
            r.record = t.run([&](const RunEvent& e) {
                if (e.kind == RunEvent::Kind::Step) r.losses.push_back(e.loss());
            });
            return r;
        };
        const Run clean = run(c);
        TrainingConfig heavy = c;
        heavy.augmentation = everyAugmentation().augmentation;
        heavy.augmentation.erasing = 1.0;
        heavy.augmentation.erasingAreaMax = 0.9;
        heavy.augmentation.noise = 0.5;
        const Run augmented = run(heavy);
        QCOMPARE(QString::fromStdString(augmented.record.status), QString("finished"));
        QCOMPARE(augmented.losses.size(), clean.losses.size());
        for (size_t i = 0; i < clean.losses.size(); ++i)
            QVERIFY2(augmented.losses[i] != clean.losses[i], qPrintable(QString::number(i)));
        QCOMPARE(augmented.record.epochs.size(), size_t(2));
        for (size_t e = 0; e < 2; ++e) {
            QCOMPARE(augmented.record.epochs[e].valLoss, clean.record.epochs[e].valLoss);
            QCOMPARE(augmented.record.epochs[e].valAccuracy, clean.record.epochs[e].valAccuracy);
        }
        QCOMPARE(augmented.record.testLoss, clean.record.testLoss);
        QCOMPARE(augmented.record.testAccuracy, clean.record.testAccuracy);
        QVERIFY(clean.record.testLoss > 0);
    }

    // The sample: crop and flip, read from its file like any setting.
    void sampleAugments() {
        const Project p = loadProject(netloom::test::sampleFile("fashion-cnn-plus.netloom"));
        QCOMPARE(p.training.augmentation.cropPadding, int64_t(2));
        QVERIFY(p.training.augmentation.flip);
        QCOMPARE(QString::fromStdString(p.training.schedule.type), QString("cosine"));
        validateTrainingConfig(p.training);
    }
};

QTEST_GUILESS_MAIN(TestAugmentation)
#include "test_augmentation.moc"
